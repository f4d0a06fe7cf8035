"""``observe sync``: publish what changed in this workspace, merge what arrived in the team
folder, and (when the folder is a git clone with a remote) commit, pull and push.

The app and the command line call two functions:

- ``run_sync(workspace, progress)`` does one sync and returns a ``SyncReport``;
- ``sync_status(workspace)`` says what is waiting to go and what arrived, changing nothing.

Both raise ``TeamError`` (a one-line UsageError) when the workspace is not in a team or its
team folder cannot be found; everything else that goes wrong with one file is a line in the
result, and the rest of the sync goes on. One sync runs at a time per workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from filelock import FileLock, Timeout

from observe.services import focus_team, sync_merge, sync_publish
from observe.services import team as team_service
from observe.services.sync_context import Context, Tally
from observe.store.team import gitsync, keys, syncstate
from observe.store.team import membership as ms
from observe.store.team.errors import TeamError
from observe.store.team.folder import TeamFolder
from observe.store.team.roster import REMOVED, Roster
from observe.store.workspace import Workspace

LOCK_FILE = "sync.lock"
MAX_LISTED = 20  # arrivals named one per line in a status; the rest are counted


@dataclass(frozen=True)
class SyncReport:
    """What one sync did. ``messages`` are one line each, ready to print."""

    published: int = 0
    merged: int = 0  # files whose merge changed a local session
    unchanged: int = 0  # files read whose merge changed nothing
    skipped: int = 0  # not merged this time (still arriving, session open): tried again
    refused: int = 0
    conflicts: int = 0  # new visible conflicts the merges made
    messages: tuple[str, ...] = ()
    git: str = ""  # one line about git; empty when the team folder is not a git clone

    def summary(self) -> str:
        text = (
            f"published {self.published}, merged {self.merged}, unchanged {self.unchanged},"
            f" skipped {self.skipped}, refused {self.refused}"
        )
        return text + (f", {self.conflicts} new conflicts" if self.conflicts else "")


@dataclass(frozen=True)
class SyncStatus:
    """What a sync would do now: documents waiting to go, files that arrived."""

    admitted: bool
    to_publish: int = 0
    arrived: int = 0  # new or changed files in the folder not yet read
    waiting: int = 0  # files skipped before (still arriving, session open)
    refused: int = 0
    messages: tuple[str, ...] = ()
    git: str = ""

    def summary(self) -> str:
        if not self.admitted:
            return "waiting for a lead to admit you"
        return (
            f"{self.to_publish} to publish, {self.arrived} arrived, {self.waiting} waiting,"
            f" {self.refused} refused"
        )


def in_team(workspace: Workspace) -> bool:
    """Whether this workspace belongs to a team folder (so sharing publishes, sync runs)."""
    return ms.path_of(workspace.root).exists()


def _membership(workspace: Workspace) -> ms.Membership:
    found = ms.load(workspace.root)
    if found is None:
        raise TeamError("this workspace is not in a team (observe team init, or join)")
    return found


def _removed(roster: Roster, me: str) -> bool:
    member = roster.get(me)
    return member is None or member.role == REMOVED


def run_sync(workspace: Workspace, progress: Callable[[str], None] | None = None) -> SyncReport:
    membership = _membership(workspace)
    workspace.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = FileLock(str(workspace.state_dir / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise TeamError("a sync of this workspace is already running") from None
    try:
        return _run(workspace, membership, progress)
    finally:
        lock.release()


def _run(
    workspace: Workspace, membership: ms.Membership, progress: Callable[[str], None] | None
) -> SyncReport:
    say = progress or (lambda _text: None)
    identity = keys.load_or_create(workspace.root)
    repo = gitsync.detect(membership.folder, identity.member_id)
    git_lines: list[str] = []
    if repo is not None:
        say("Pulling from the team's git remote")
        try:
            gitsync.pull(repo)
        except gitsync.GitFailed as exc:
            git_lines.append(f"git pull failed: {exc}")
    say("Reading the roster")
    team = team_service.refresh(workspace.root, membership, identity)
    tally = Tally()
    tally.lines += [f"refused {line}" for line in team.refused]
    if team.roster is None:  # a join request still goes out, through git too
        tally.say("waiting for a lead to admit you: nothing is published or read yet")
    elif _removed(team.roster, team.me):
        tally.say("you are not a member of this team any more: nothing is published or read")
        return _report(tally, git_lines)
    else:
        state = syncstate.load(workspace.state_dir, team.me, team.membership.team)
        ctx = Context(workspace, team, team.roster, state, progress=progress, tally=tally)
        say("Listing the team folder")
        found = sync_merge.scan(ctx)
        sync_merge.merge_arrivals(ctx, found)
        kept, refused = focus_team.receive(workspace.root, team)
        tally.lines += kept + refused
        tally.refused += len(refused)
        say("Publishing what changed")
        sync_publish.publish(ctx, found.own_present)
        if ctx.tally.published:
            sync_merge.settle_own(ctx, found)
        syncstate.save(state)
    if repo is not None:
        git_lines.append(_push(repo, say))
    return _report(tally, git_lines)


def _push(repo: gitsync.Repo, say: Callable[[str], None]) -> str:
    try:
        committed = gitsync.commit_own(repo)
        say("Pushing to the team's git remote")
        pushed = gitsync.push(repo)
    except gitsync.GitFailed as exc:
        return f"git failed: {exc} (kept here; sent at the next sync)"
    if pushed:
        return f"git: pushed {pushed} commit(s) to {repo.remote}"
    return "git: committed, nothing to push" if committed else "git: up to date"


def _report(tally: Tally, git_lines: list[str]) -> SyncReport:
    return SyncReport(
        published=tally.published,
        merged=tally.merged,
        unchanged=tally.unchanged,
        skipped=tally.skipped,
        refused=tally.refused,
        conflicts=tally.conflicts,
        messages=tuple(tally.lines),
        git="; ".join(git_lines),
    )


# ---------------------------------------------------------------- --status


def sync_status(workspace: Workspace) -> SyncStatus:
    """What is waiting to go and what arrived, from the files' sizes and times and the
    roster this workspace trusts; nothing is written, decrypted or fetched."""
    membership = _membership(workspace)
    identity = keys.load(workspace.root)
    folder = TeamFolder(membership.folder)
    if folder.team_id() != membership.team:
        raise TeamError(f"{folder.root} is the folder of another team")
    roster = membership.roster
    if identity is None or roster is None or _removed(roster, identity.member_id):
        return SyncStatus(admitted=False)
    team = team_service.State(identity, membership, folder, membership.roster)
    state = syncstate.load(workspace.state_dir, identity.member_id, membership.team)
    ctx = Context(workspace, team, membership.roster, state, dry=True)
    found = sync_merge.scan(ctx)
    marks = state.attention
    waiting = [
        f for f in found.todo if f.rel in marks and marks[f.rel].same_stat(f.size, f.mtime_ns)
    ]
    arrived = [f for f in found.todo if f not in waiting]
    lines = list(ctx.tally.lines)
    lines += [f"arrived {f.rel}" for f in arrived[:MAX_LISTED]]
    if len(arrived) > MAX_LISTED:
        lines.append(f"arrived {len(arrived) - MAX_LISTED} more")
    lines += [f"waiting {f.rel}: {marks[f.rel].reason}" for f in waiting]
    pending = sync_publish.publish(ctx, found.own_present)
    lines += [f"to publish {p.rel}: {p.what}" if p.rel else p.what for p in pending]
    repo = gitsync.detect(folder.root, identity.member_id)
    return SyncStatus(
        admitted=True,
        to_publish=sum(1 for p in pending if p.rel),
        arrived=len(arrived),
        waiting=len(waiting),
        refused=ctx.tally.refused,
        messages=tuple(lines),
        git=_git_status(repo) if repo is not None else "",
    )


def _git_status(repo: gitsync.Repo) -> str:
    try:
        ahead = gitsync.unpushed(repo)
    except gitsync.GitFailed as exc:
        return f"git: {exc}"
    return f"git: {ahead} commit(s) not pushed to {repo.remote} yet" if ahead else "git: all pushed"
