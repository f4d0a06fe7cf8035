"""Compare and agree: the observers of one delivery, their ratings side by side, criterion by
criterion and per facilitator, differences first, with each observer's evidence below. A
digit agrees that level (as in wrap-up), d records that the observers differ (with a note),
ctrl+s writes the agreed record: the one feedback the facilitator receives."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static

from observe.app.dialogs.ask_text import AskText
from observe.app.plain import plain, plain_lines, shown, styled
from observe.app.screens.base import ObserveScreen
from observe.app.widgets.agreement_list import AgreementList, outcome_mark
from observe.app.widgets.criteria import CriteriaList, level_mark
from observe.core.calibration import Line, Outcome
from observe.core.record import SessionRecord


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class CompareScreen(ObserveScreen[None]):
    HELP_TITLE = "Compare and agree"
    HELP = (
        "Every observer's rating of each criterion, per facilitator, the differences first;"
        " the highlighted one's evidence is below. Agree a level with its digit (0 not"
        " observed), or press d to record that you differ, with a note. Where you all gave"
        " the same rating it is agreed already; change it as you like. ctrl+s writes the"
        " agreed record: the one feedback the facilitator receives. Your own sessions stay"
        " as they were, for agreement statistics."
    )
    BINDINGS = [
        Binding(
            "d",
            "differ",
            "Differ",
            id="compare.differ",
            tooltip="Record that you differ on the highlighted criterion, with a note",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save agreed",
            id="compare.save",
            tooltip="Write the agreed record: the facilitator's one feedback",
        ),
        Binding(
            "escape", "leave", "Back", id="compare.back", tooltip="Back to home (asks if unsaved)"
        ),
    ]
    DEFAULT_CSS = """
    CompareScreen #compare-head { height: 2; padding: 0 1; text-wrap: nowrap;
                                  text-overflow: ellipsis; }
    CompareScreen #compare-list { height: 1fr; min-height: 5; border: round $primary;
                                  border-title-align: right; }
    CompareScreen #compare-list:focus { border: round $accent; }
    CompareScreen #compare-evidence-box { height: 1fr; padding: 0 1; }
    CompareScreen #compare-line { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        calibration: str,
        records: list[SessionRecord],
        agreed: SessionRecord | None,
        lines: list[Line],
    ) -> None:
        super().__init__()
        self.calibration = calibration
        self.records = records
        self.agreed = agreed
        first = records[0].session
        self.framework = first.framework.content
        self.meta = first.meta
        for line in lines:  # the same rating from everyone is agreed unless they say not
            rated, level = line.common
            if line.outcome is None and rated and agreed is None:
                line.outcome = Outcome(
                    facilitator=line.facilitator.id, criterion=line.criterion.id, level=level
                )
        self.lines = lines
        self._undo: list[tuple[str, Outcome | None]] = []
        self.dirty = agreed is None and bool(lines)
        self.agreed_saved = agreed is not None
        self._leaving = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._head(), id="compare-head")
        yield AgreementList(
            self.framework,
            self.meta.mode,
            list(self.meta.facilitators),
            self.lines,
            id="compare-list",
        )
        with VerticalScroll(id="compare-evidence-box", can_focus=False):
            yield Static("", id="compare-evidence")
        yield Static("", id="compare-line")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(AgreementList)
        table.focus()
        firsts = [
            r.session.meta.observer.name.split()[0] for r in self.records if r.session.meta.observer
        ]
        table.border_title = styled(" · ".join(firsts), " → agreed")
        self._show_evidence()

    # ------------------------------------------------------------ what is shown

    @property
    def table(self) -> AgreementList:
        return self.query_one(AgreementList)

    def _head(self) -> Text:
        names = ", ".join(
            r.session.meta.observer.name if r.session.meta.observer else "unnamed"
            for r in self.records
        )
        who = ", ".join(p.name for p in self.meta.facilitators)
        differ = sum(1 for line in self.lines if line.differs)
        head = Text()
        head.append_text(plain(f"{who} · {self.meta.date.isoformat()} · by {names}", "bold"))
        head.append(
            f"\n{differ} of {len(self.lines)} differ · "
            + ("agreed record saved" if self.agreed_saved else "no agreed record yet")
        )
        return head

    def _show_evidence(self) -> None:
        box = self.query_one("#compare-evidence", Static)
        line = self.table.current_line
        if line is None:
            box.update("No criterion was rated or noted by any observer.")
            return
        out = Text()
        out.append_text(plain(f"{line.criterion.id} {line.criterion.title}", "bold"))
        out.append_text(plain(f" · {line.facilitator.name}"))
        scale = self.framework.scale
        for seen in line.seen:
            out.append("\n")
            label = scale.level(seen.level)
            said = level_mark(seen.level, seen.rated)
            if label is not None:
                said += f" {label.label}"
            elif seen.rated:
                said += " not observed"
            out.append_text(plain(f"{seen.observer}: {said}", "bold"))
            if seen.comment.strip():
                out.append_text(plain(f" · {seen.comment}"))
            for note in seen.evidence:
                out.append(f"\n  {_clock(note.elapsed_s)}  ", style="dim")
                out.append_text(plain_lines(note.text))
            if not seen.evidence:
                out.append("\n  no notes on it", style="dim")
        outcome = self.table.outcomes.get(AgreementList.key(line))
        out.append("\n")
        if outcome is None:
            out.append("Not settled: a digit agrees a level, d records that you differ.")
        elif outcome.agreed:
            out.append(f"Agreed: {outcome_mark(outcome)}", style="bold")
        else:
            out.append("You differ", style="bold")
            if outcome.note:
                out.append_text(plain(f": {outcome.note}"))
        box.update(out)

    def _say(self, text: str) -> None:
        self.query_one("#compare-line", Static).update(plain(text))

    @on(OptionList.OptionHighlighted, "#compare-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_evidence()

    # ------------------------------------------------------------ settling

    def _settle(self, key: str, outcome: Outcome | None, said: str) -> None:
        self._undo.append((key, self.table.outcomes.get(key)))
        self.table.settle(key, outcome)
        self.dirty = True
        self._leaving = False
        self._say(f"{said} · u undoes · ctrl+s saves")
        self._show_evidence()

    def on_criteria_list_rate(self, event: CriteriaList.Rate) -> None:
        event.stop()
        line = self.table.lines[event.criterion]
        try:
            level = self.framework.scale.level_for_key(event.key)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=3)
            return
        outcome = Outcome(facilitator=line.facilitator.id, criterion=line.criterion.id, level=level)
        self._settle(
            event.criterion, outcome, f"{line.criterion.id} agreed {outcome_mark(outcome)}"
        )

    def on_criteria_list_clear(self, event: CriteriaList.Clear) -> None:
        event.stop()
        self._settle(event.criterion, None, f"{event.criterion.split('/')[-1]} not settled")

    def on_criteria_list_undo(self, event: CriteriaList.Undo) -> None:
        event.stop()
        if not self._undo:
            self._say("Nothing to undo")
            return
        key, before = self._undo.pop()
        self.table.settle(key, before)
        self.dirty = True
        self._say(f"Undone: {key.split('/')[-1]} is back to {outcome_mark(before)}")
        self._show_evidence()

    def on_criteria_list_next_facilitator(self, event: CriteriaList.NextFacilitator) -> None:
        event.stop()  # every facilitator has rows of their own here

    def action_differ(self) -> None:
        line = self.table.current_line
        if line is None:
            return
        key = AgreementList.key(line)
        old = self.table.outcomes.get(key)

        def noted(note: str | None) -> None:
            if note is not None:
                outcome = Outcome(
                    facilitator=line.facilitator.id,
                    criterion=line.criterion.id,
                    agreed=False,
                    note=note,
                )
                self._settle(key, outcome, f"{line.criterion.id}: you differ")

        self.app.push_screen(
            AskText(
                f"You differ on {line.criterion.id}: why?",
                "Kept with the agreed record; the criterion goes unrated in the feedback.",
                old.note if old is not None and not old.agreed else "",
            ),
            noted,
        )

    # ------------------------------------------------------------ saving and leaving

    def action_save(self) -> None:
        self._say("Saving the agreed record…")
        self._save(list(self.table.outcomes.values()))

    @work(thread=True, exclusive=True, exit_on_error=False, name="saving the agreed record")
    def _save(self, outcomes: list[Outcome]) -> None:
        from observe.core.errors import ObserveError
        from observe.services.calibration import agree

        try:
            path = agree(self.observe_app.workspace, self.calibration, outcomes)
        except ObserveError as exc:
            self.app.call_from_thread(self._not_saved, str(exc))
            return
        self.app.call_from_thread(self._saved, path.name)

    def _not_saved(self, why: str) -> None:
        self._say("Not saved")
        self.notify(shown(why), title="Agreed record not saved", severity="error", markup=False)

    def _saved(self, name: str) -> None:
        self.dirty = False
        self.agreed_saved = True
        self.query_one("#compare-head", Static).update(self._head())
        settled = len(self.table.outcomes)
        self._say(
            f"Saved: {settled} of {len(self.lines)} settled · the agreed record is the feedback"
        )
        self.notify(
            "Saved. The agreed record is the one feedback the facilitator receives: share it"
            " from home (s).",
            timeout=6,
        )

    def action_leave(self) -> None:
        if self.dirty and not self._leaving:
            self._leaving = True
            self._say("Not saved: ctrl+s saves the agreement; Escape again leaves without it")
            return
        self.dismiss(None)
