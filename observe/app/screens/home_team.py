"""Home in a team: the team screen (t), and sync (y) on start, on the key, after a share or a
facilitator's answer, and every few minutes while home is open.

A sync runs in a thread worker, one at a time (asked for again while running, it runs once
more afterwards); its progress shows in the header, and when it ends home lists the sessions
again and says what arrived ("2 new feedback, 1 answer"). Outside a team there is no sync key
and nothing runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from observe.app.screens.base import ObserveScreen
from observe.core.summary import SessionSummary

SYNC_EVERY_S = 180.0
FEEDBACK = {"shared", "acknowledged"}

BINDINGS = [
    Binding(
        "y",
        "sync",
        "Sync",
        id="home.sync",
        tooltip="Sync with the team folder now: publish what changed, bring in what arrived",
    ),
    Binding(
        "t",
        "team",
        "Team",
        id="home.team",
        show=False,  # in F1 and the palette: the footer keeps to 80 columns
        tooltip="The team: members and roles, who is asking to join; a lead admits and changes",
    ),
]


def run_team_sync(workspace: Any, progress: Callable[[str], None]) -> tuple[int, list[str]]:
    """One sync: (files whose merge changed a session here, lines worth showing)."""
    from observe.services.sync import run_sync

    report = run_sync(workspace, progress)
    return report.merged, list(report.messages)


def arrivals(before: dict[str, str], after: dict[str, str], merged: int = 0) -> str:
    """What a sync brought, in words, from each session's status before and after it."""
    new = sum(1 for k, s in after.items() if k not in before and s in FEEDBACK)
    answers = sum(1 for k, s in after.items() if s == "acknowledged" and before.get(k) == "shared")
    others = max(0, merged - new - answers)
    parts = [
        f"{new} new feedback" if new else "",
        f"{answers} answer{'' if answers == 1 else 's'}" if answers else "",
        f"{others} session{'' if others == 1 else 's'} updated" if others else "",
    ]
    return ", ".join(p for p in parts if p) or "nothing new"


def statuses(rows: list[SessionSummary]) -> dict[str, str]:
    return {r.id: r.status for r in rows if not r.unreadable}


class TeamOnHome(ObserveScreen[None]):
    """Mixed into the home screen: its team and sync keys, and the syncs it starts."""

    rows: list[Any]
    _in_team = False
    _syncing = False
    _sync_again = False
    _was_reviewing = False
    _timer_set = False
    _unsaid = ""

    if TYPE_CHECKING:  # home's, which shows the rows a sync read

        def _loaded(self, rows: list[SessionSummary]) -> None: ...

    def on_mount(self) -> None:
        from observe.services.team_view import belongs_to_team

        self._in_team = belongs_to_team(self.observe_app.workspace.root)
        if self._in_team:
            self._start_syncing()

    def _start_syncing(self) -> None:
        """Show the sync key, sync now and every few minutes from now on (once per run)."""
        self.refresh_bindings()
        if not self._timer_set:
            self._timer_set = True
            self.set_interval(SYNC_EVERY_S, self.sync_now)
        self.call_after_refresh(self.sync_now)

    def on_screen_suspend(self) -> None:
        from observe.app.screens.review import ReviewScreen

        self._was_reviewing = isinstance(self.app.screen, ReviewScreen)

    def on_screen_resume(self) -> None:
        if self._unsaid:  # what arrived while another screen (live notes) was in front
            self.app.notify(self._unsaid, title="Synced")
            self._unsaid = ""
        if self._was_reviewing:  # a facilitator's answer goes out at once
            self._was_reviewing = False
            self.sync_now()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sync":
            return self._in_team  # not in a team: no key, nothing runs
        return True

    def action_team(self) -> None:
        from observe.app.screens.team import TeamScreen

        self.app.push_screen(TeamScreen(), lambda _: self._team_left())

    def _team_left(self) -> None:
        from observe.services.team_view import belongs_to_team

        joined = belongs_to_team(self.observe_app.workspace.root) and not self._in_team
        self._in_team = belongs_to_team(self.observe_app.workspace.root)
        self.refresh_bindings()
        if joined:  # a team made or joined while the app was open
            self._start_syncing()

    def action_sync(self) -> None:
        self.sync_now(said=True)

    def sync_now(self, said: bool = False) -> None:
        """Start a sync, or one more after the one running."""
        if not self._in_team:
            return
        if self._syncing:
            self._sync_again = True
            return
        self._syncing = True
        self._status("syncing…")
        self._sync(statuses(self.rows), said)

    # Its own group: home's exclusive listing worker must not cancel a sync waiting to start.
    @work(thread=True, exit_on_error=False, name="syncing with the team", group="team-sync")
    def _sync(self, before: dict[str, str], said: bool) -> None:
        from observe.core.errors import UsageError
        from observe.services.sessions import listing_rows

        workspace = self.observe_app.workspace
        try:
            try:
                merged, lines = run_team_sync(workspace, self._progress)
            except UsageError as exc:  # no folder (a drive not mounted): said, tried again later
                self.app.call_from_thread(self._sync_failed, str(exc), said)
                return
            rows = listing_rows(workspace)
            self.app.call_from_thread(self._synced, rows, arrivals(before, statuses(rows), merged))
            for line in lines:
                if line.startswith("refused"):
                    self.app.call_from_thread(self.app.notify, line, severity="warning")
        finally:
            self.app.call_from_thread(self._sync_done)

    def _status(self, text: str) -> None:
        """The sync's state after the workspace in the header (the screen's sub-title)."""
        self.sub_title = f"{self.observe_app.sub_title} · {text}"

    def _progress(self, text: str) -> None:
        self.app.call_from_thread(self._status, f"syncing: {text.rstrip('.')}…")

    def _synced(self, rows: list[Any], arrived: str) -> None:
        self._loaded(rows)
        self._status(f"synced: {arrived}")
        if arrived == "nothing new":
            return
        if self.is_active:
            self.app.notify(f"From the team: {arrived}.", title="Synced")
        else:  # never a toast over the live notes: said when home is back
            self._unsaid = f"From the team: {arrived}."

    def _sync_failed(self, reason: str, said: bool) -> None:
        self._status("not synced")
        if said:
            self.app.notify(f"Not synced: {reason}", severity="warning", timeout=8)

    def _sync_done(self) -> None:
        self._syncing = False
        if self._sync_again:
            self._sync_again = False
            self.sync_now()
