"""The team: its members and roles from the signed roster, who is asking to join, and (for a
lead) admitting, making a lead and removing, each asked first.

The folder is read in a worker (every roster is decrypted and its signature checked), and so
is every change, which publishes the next roster version; the screen shows plain rows.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Footer, Header, Static

from observe.app.plain import plain
from observe.app.screens.base import ObserveScreen
from observe.services.team_view import AskingRow, MemberRow, TeamView

NOT_IN_TEAM = (
    "This workspace is not in a team. A lead makes a team folder with"
    " `observe team init FOLDER --name NAME`; each member asks to join with"
    " `observe team join FOLDER --name NAME`, and a lead admits them here (a)."
)
ROLE_LABEL = {"lead": "lead", "member": "member", "removed": "removed"}


class TeamScreen(ObserveScreen[None]):
    HELP_TITLE = "Team"
    HELP = (
        "The people in this workspace's team, as the roster a lead signed says, and who is"
        " asking to join. A lead admits a request, makes a member a lead or removes a member;"
        " each change is asked first and reaches the others with their next sync."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="team.back", tooltip="Back to home"),
        Binding(
            "a",
            "admit",
            "Admit",
            id="team.admit",
            tooltip="Admit the highlighted person asking to join (leads)",
        ),
        Binding(
            "l",
            "make_lead",
            "Make lead",
            id="team.lead",
            tooltip="Make the highlighted member a lead: they can admit and change the team",
        ),
        Binding(
            "x",
            "remove",
            "Remove",
            id="team.remove",
            tooltip="Remove the highlighted member: nothing sealed from now on reaches them",
        ),
        Binding("r", "reload", "Refresh", id="team.reload", tooltip="Read the team folder again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: TeamView | None = None
        self.loaded = False
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the team folder…", id="team-summary", markup=False)
        yield DataTable(id="team-members", cursor_type="row", zebra_stripes=True)
        yield Static("", id="team-asking-title", markup=False)
        yield DataTable(id="team-asking", cursor_type="row")
        yield Static("", id="team-refused", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Team"
        members = self.query_one("#team-members", DataTable)
        members.add_column("Name", key="name")
        members.add_column("Role", key="role")
        members.add_column("Member id", key="id")
        asking = self.query_one("#team-asking", DataTable)
        asking.add_column("Asking to join", key="name")
        asking.add_column("Member id", key="id")
        for widget in (members, asking, *self.query("#team-asking-title, #team-refused")):
            widget.display = False
        self.load()

    # ------------------------------------------------------------------ reading

    @work(thread=True, exclusive=True, exit_on_error=False, name="reading the team")
    def load(self) -> None:
        from observe.services.team_view import load_view

        view = load_view(self.observe_app.workspace.root)
        self.app.call_from_thread(self._loaded, view)

    def _loaded(self, view: TeamView | None) -> None:
        self.view, self.loaded = view, True
        summary = self.query_one("#team-summary", Static)
        members = self.query_one("#team-members", DataTable)
        asking = self.query_one("#team-asking", DataTable)
        if view is None or view.waiting:
            summary.update(NOT_IN_TEAM if view is None else self._waiting(view))
            members.display = asking.display = False
            self.refresh_bindings()
            return
        you = next((m for m in view.members if m.you), None)
        role = you.role if you else "not a member"
        summary.update(
            f"Team folder {view.folder} · roster version {view.version} · you are a {role}"
        )
        self._fill(members, [(m.name, self._role(m), m.id) for m in view.members])
        self._fill(asking, [(a.name, a.id) for a in view.asking])
        members.display = True
        asking.display = bool(view.asking)
        title = self.query_one("#team-asking-title", Static)
        title.update(self._asking_title(view))
        title.display = view.is_lead
        refused = self.query_one("#team-refused", Static)
        refused.update("\n".join(f"⚠ refused {line}" for line in view.refused))
        refused.display = bool(view.refused)
        if self.focused is None or not self.focused.display:
            (asking if view.asking else members).focus()
        self.refresh_bindings()

    @staticmethod
    def _role(member: MemberRow) -> str:
        return ROLE_LABEL.get(member.role, member.role) + (" (you)" if member.you else "")

    @staticmethod
    def _waiting(view: TeamView) -> str:
        return (
            f"You asked to join the team of {view.folder} as {view.me}. A lead admits you;"
            " their change reaches you with the next sync (r reads the folder again)."
        )

    @staticmethod
    def _asking_title(view: TeamView) -> str:
        count = len(view.asking)
        if not count:
            return "Nobody is asking to join."
        people = "person is" if count == 1 else "people are"
        return f"{count} {people} asking to join: a admits the highlighted one."

    @staticmethod
    def _fill(table: DataTable[object], rows: list[tuple[str, ...]]) -> None:
        table.clear()
        for row in rows:
            table.add_row(*(plain(cell) for cell in row), key=row[-1])

    def _highlighted_member(self) -> MemberRow | None:
        table = self.query_one("#team-members", DataTable)
        if self.view is None or not table.display or not self.view.members:
            return None
        row = table.cursor_row
        return self.view.members[row] if 0 <= row < len(self.view.members) else None

    def _highlighted_asking(self) -> AskingRow | None:
        table = self.query_one("#team-asking", DataTable)
        if self.view is None or not self.view.asking:
            return None
        row = table.cursor_row
        return self.view.asking[row] if 0 <= row < len(self.view.asking) else None

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("admit", "make_lead", "remove"):
            lead = self.view is not None and self.view.is_lead
            if not lead:
                return False  # only a lead changes the team: the keys are not offered
            if action == "admit" and not self.view.asking:
                return None
            return None if self.busy else True
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def action_admit(self) -> None:
        person = self._highlighted_asking()
        if person is None:
            return
        self._ask(
            f"Admit {person.name} to the team?",
            f"They asked to join as {person.id}. Admitted, they read what is shared with them"
            " and the team's roster, and can share observations with the team.",
            "Admit",
            "admit",
            person.id,
        )

    def action_make_lead(self) -> None:
        member = self._highlighted_member()
        if member is None:
            return
        if member.role == "lead":
            self.notify(f"{member.name} is already a lead.", severity="warning")
            return
        self._ask(
            f"Make {member.name} a lead?",
            "A lead admits people, makes leads and removes members, and reads every shared"
            " observation of the team.",
            "Make lead",
            "make_lead",
            member.id,
        )

    def action_remove(self) -> None:
        member = self._highlighted_member()
        if member is None:
            return
        if member.role == "removed":
            self.notify(f"{member.name} was removed already.", severity="warning")
            return
        you = " This is you: you will no longer receive anything." if member.you else ""
        self._ask(
            f"Remove {member.name} from the team?",
            "Nothing sealed from now on reaches them; what they already received, they keep." + you,
            "Remove",
            "remove",
            member.id,
        )

    def _ask(self, question: str, meaning: str, verb: str, change: str, member_id: str) -> None:
        from observe.app.dialogs.confirm_team import ConfirmTeamChange

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.refresh_bindings()
                self.change(change, member_id)

        self.app.push_screen(ConfirmTeamChange(question, meaning, verb), answered)

    @work(thread=True, exit_on_error=False, name="changing the team", group="team-change")
    def change(self, change: str, member_id: str) -> None:
        from observe.core.errors import UsageError
        from observe.services import team_view

        changes = {
            "admit": team_view.admit,
            "make_lead": team_view.make_lead,
            "remove": team_view.remove,
        }
        try:
            said = changes[change](self.observe_app.workspace.root, member_id)
        except UsageError as exc:  # refused (the last lead, a request gone): said, not failed
            self.app.call_from_thread(self._changed, str(exc), "warning")
            return
        finally:
            self.busy = False
        self.app.call_from_thread(self._changed, said, "information")

    def _changed(self, said: str, severity: SeverityLevel) -> None:
        self.notify(said, severity=severity)  # plain: app.notify
        self.load()

    @on(DataTable.RowSelected, "#team-asking")
    def _asking_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_admit()
