"""The team folder as a git work tree with a remote: commit one's own part, pull, push.

Each member commits only their own part (``members/<id>/``, and ``team.json`` once, when it
is not yet tracked), so merging never meets a conflict: a pull is a fetch and a merge
(never a rebase, which would rewrite what others already have), and a push that the remote
rejects because someone pushed first is retried after another pull. Commits carry the
member id as author, never a name from the user's git configuration. Every failure is one
line for the user; nothing is reset, deleted or forced, so what failed is sent next time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from observe.store.team.folder import MEMBERS, TEAM_FILE

TIMEOUT_S = 120
PUSH_ATTEMPTS = 4
_REJECTED = ("[rejected]", "fetch first", "non-fast-forward", "failed to update ref")


class GitFailed(Exception):
    """A git step failed; the message is one line for the user."""


@dataclass(frozen=True)
class Repo:
    root: Path  # the team folder: the top of the work tree
    remote: str
    branch: str
    member: str

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        identity = ["-c", f"user.name={self.member}", "-c", f"user.email={self.member}@observe"]
        return _git(self.root, *identity, "-c", "commit.gpgsign=false", *args, check=check)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Never wait on a prompt: a sync runs in a worker and from scripts.
    env |= {"GIT_TERMINAL_PROMPT": "0", "GIT_MERGE_AUTOEDIT": "no", "LC_ALL": "C"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            env=_env(),
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitFailed(f"git {args[-1] if args else ''} took over {TIMEOUT_S} s") from exc
    except OSError as exc:
        raise GitFailed(f"cannot run git: {exc.strerror or exc}") from exc
    if check and done.returncode != 0:
        raise GitFailed(_first_line(done))
    return done


def _first_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [ln.strip() for ln in (done.stderr + "\n" + done.stdout).splitlines() if ln.strip()]
    # git's most telling line is the first "fatal:" or "error:" one, else the first at all.
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else f"git exited with {done.returncode}"


def _is_clone(root: Path) -> bool:
    """Whether ``root`` holds ``.git``: one stat, where asking git would start a process at
    every sync of a folder that is not a clone. A team folder inside a larger repository
    (a home folder kept in git, say) is not taken as one: its commits are not ours to make."""
    return os.path.exists(os.path.join(root, ".git"))


def detect(root: Path, member: str) -> Repo | None:
    """The repository when ``root`` is in a git work tree that has a remote, else None."""
    if not _is_clone(root) or shutil.which("git") is None:
        return None
    try:
        top = _git(root, "rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
            return None
        remotes = _git(root, "remote").stdout.split()
        if not remotes:
            return None
        branch = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    except GitFailed:
        return None
    name = branch.stdout.strip() or "main"
    upstream = _git(root, "config", f"branch.{name}.remote", check=False).stdout.strip()
    remote = upstream if upstream in remotes else ("origin" if "origin" in remotes else remotes[0])
    return Repo(root, remote, name, member)


def pull(repo: Repo) -> bool:
    """Fetch and merge the remote's branch; True when something new came in."""
    repo.run("fetch", "--quiet", repo.remote)
    ref = f"refs/remotes/{repo.remote}/{repo.branch}"
    if repo.run("rev-parse", "--verify", "--quiet", ref, check=False).returncode != 0:
        return False  # nobody has pushed this branch yet
    before = repo.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).stdout.strip()
    if not before:  # no commit here yet: take the remote's history as it is
        repo.run("reset", "--quiet", "--mixed", ref)
        repo.run("checkout", "--quiet", "--", ".")
        return True
    merged = repo.run("merge", "--no-edit", "--quiet", ref, check=False)
    if merged.returncode != 0:
        repo.run("merge", "--abort", check=False)  # leave the tree as it was, say why
        raise GitFailed(_first_line(merged))
    after = repo.run("rev-parse", "HEAD").stdout.strip()
    return after != before


def commit_own(repo: Repo) -> bool:
    """Commit this member's part (and an untracked team.json); True when a commit was made."""
    own = f"{MEMBERS}/{repo.member}"
    paths = [own] if (repo.root / own).exists() else []
    tracked = repo.run("ls-files", "--error-unmatch", TEAM_FILE, check=False).returncode == 0
    if not tracked and (repo.root / TEAM_FILE).is_file():
        paths.append(TEAM_FILE)
    if not paths:
        return False
    repo.run("add", "--all", "--", *paths)
    staged = repo.run("diff", "--cached", "--quiet", "--", *paths, check=False)
    if staged.returncode == 0:
        return False
    repo.run("commit", "--quiet", "--no-verify", "-m", f"observe sync {repo.member}", "--", *paths)
    return True


def unpushed(repo: Repo) -> int:
    """Commits here that the remote's branch (as last fetched) does not have."""
    ref = f"refs/remotes/{repo.remote}/{repo.branch}"
    if repo.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return 0
    if repo.run("rev-parse", "--verify", "--quiet", ref, check=False).returncode != 0:
        return int(repo.run("rev-list", "--count", "HEAD").stdout.strip() or 0)
    return int(repo.run("rev-list", "--count", f"{ref}..HEAD").stdout.strip() or 0)


def push(repo: Repo) -> int:
    """Push, pulling and retrying while the remote rejects it; the commits pushed."""
    ahead = unpushed(repo)
    if ahead == 0:
        return 0
    for attempt in range(PUSH_ATTEMPTS):
        target = f"HEAD:refs/heads/{repo.branch}"
        done = repo.run("push", "--quiet", repo.remote, target, check=False)
        if done.returncode == 0:
            upstream = f"{repo.remote}/{repo.branch}"
            repo.run("branch", "--quiet", "--set-upstream-to", upstream, check=False)
            return ahead
        rejected = any(word in done.stderr for word in _REJECTED)
        if not rejected or attempt == PUSH_ATTEMPTS - 1:
            raise GitFailed(_first_line(done))
        pull(repo)  # someone pushed first: take theirs (never a conflict), then try again
        ahead = unpushed(repo)
    return ahead
