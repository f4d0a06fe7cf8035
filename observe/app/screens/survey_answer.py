"""Answering a survey round: one statement at a time, by key, on this machine, offline.

Every change is kept as a draft on this machine (the draft goes when the answer is
submitted), so a member can leave with Escape and come back. Submitting asks first: an
answer cannot be changed or withdrawn afterwards, because nothing links it to its writer.
"""

from __future__ import annotations

import textwrap
import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from observe.app.plain import plain, shown
from observe.app.screens.base import ObserveScreen
from observe.core.survey import PREFER_NOT, PREFER_NOT_LABEL, Round

LEVEL_KEYS = "1234567"
INDENT = "      "


class SurveyAnswerScreen(ObserveScreen[bool]):
    """Dismissed with True when the answer was submitted, False when left as a draft."""

    HELP_TITLE = "Answer the survey"
    HELP = (
        "Say how far you agree with each statement: 1 is the first level of the scale"
        " (strongly disagree), the highest number the last (strongly agree); 0 or p is"
        " 'prefer not to say'; x clears. c writes an optional comment on the statement's"
        " principle. Your answer is anonymous: it carries no name, is readable by the leads"
        " only, and this machine keeps only that you answered. Comments are in your own words"
        " and may identify you. Escape leaves and keeps a draft here; ctrl+s submits."
    )
    BINDINGS = [
        Binding(
            "1",
            "rate(0)",
            "Rate 1…",
            id="survey.rate",
            tooltip="Rate the statement: 1 is the lowest level; 2, 3… the next ones",
        ),
        *(
            Binding(
                key,
                f"rate({i})",
                f"Rate {key}",
                id=f"survey.rate{key}",
                show=False,
                tooltip=f"Level {key} of the scale for the highlighted statement",
            )
            for i, key in enumerate(LEVEL_KEYS[1:], start=1)
        ),
        Binding(
            "0,p",
            "prefer_not",
            "Prefer not",
            id="survey.prefer_not",
            tooltip="'Prefer not to say' for the highlighted statement",
        ),
        Binding(
            "x,delete",
            "clear",
            "Clear",
            id="survey.clear",
            show=False,
            tooltip="Leave the highlighted statement unanswered",
        ),
        Binding(
            "c",
            "comment",
            "Comment",
            id="survey.comment",
            tooltip="An optional comment on the highlighted statement's principle",
        ),
        Binding(
            "ctrl+s",
            "submit",
            "Submit",
            id="survey.submit",
            tooltip="Send the answer (asks first); it cannot be changed afterwards",
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            id="survey.leave",
            tooltip="Back to home; a draft of the answer is kept on this machine",
        ),
    ]

    def __init__(self, round_: Round, levels: dict, comments: dict) -> None:
        super().__init__()
        self.round = round_
        self.framework = round_.framework
        self.levels: dict[str, int | str] = {
            k: v for k, v in levels.items() if self._valid_level(k, v)
        }
        principles = {d.id for d in self.framework.domains}
        self.comments: dict[str, str] = {
            k: v for k, v in comments.items() if k in principles and isinstance(v, str)
        }
        self.principle_of = {c.id: d.id for d in self.framework.domains for c in d.criteria}
        self.submitted = False
        self._disk = threading.Lock()  # one draft write or the submission at a time

    def _valid_level(self, key: object, value: object) -> bool:
        if key not in {c.id for d in self.framework.domains for c in d.criteria}:
            return False
        return value == PREFER_NOT or value in self.framework.scale.values

    # ------------------------------------------------------------------ drawing

    def compose(self) -> ComposeResult:
        yield Header()
        closes = self.round.closes.isoformat()
        yield Static(
            plain(
                f"{self.framework.title} · open until {closes} · anonymous: leads read"
                " answers, never who gave them",
                "bold",
            ),
            id="survey-title",
        )
        yield OptionList(id="survey-statements")
        yield Static("", id="survey-status", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_list(first=True)

    def _label(self, value: int | str | None) -> str:
        if value is None:
            return "·  not answered"
        if value == PREFER_NOT:
            return f"→ 0  {PREFER_NOT_LABEL}"
        index = self.framework.scale.values.index(value)
        return f"→ {index + 1}  {self.framework.scale.levels[index].label}"

    def _wrapped(self, text: str, width: int) -> str:
        """``text`` wrapped under its first line's start (the option list wraps to column 0)."""
        return f"\n{INDENT}".join(textwrap.wrap(shown(text), width) or [""])

    def refresh_list(self, *, first: bool = False) -> None:
        box = self.query_one("#survey-statements", OptionList)
        keep = box.highlighted
        width = max(30, (box.size.width or self.size.width or 80) - len(INDENT) - 4)
        options: list[Option] = []
        for domain in self.framework.domains:
            heading = Text(f"{shown(domain.id)} · {shown(domain.title)}", style="bold underline")
            comment = self.comments.get(domain.id)
            if comment:
                said = self._wrapped(f"comment: {comment[:300]}", width)
                heading.append(f"\n{INDENT}{said}", style="italic")
            options.append(Option(heading, id=f"principle:{domain.id}", disabled=True))
            for statement in domain.criteria:
                value = self.levels.get(statement.id)
                line = Text(f"{shown(statement.id):<{len(INDENT)}}", style="bold")
                line.append(self._wrapped(statement.title, width))
                line.append(f"\n{INDENT}")
                line.append(self._label(value), style="bold" if value is not None else "dim")
                options.append(Option(line, id=statement.id))
        box.clear_options()
        box.add_options(options)
        if first or keep is None:
            box.highlighted = self._first_open()
        else:
            box.highlighted = keep
        box.focus()
        self._status()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.refresh_list()

    def _first_open(self) -> int:
        box = self.query_one("#survey-statements", OptionList)
        for index in range(box.option_count):
            option = box.get_option_at_index(index)
            if not option.disabled and option.id not in self.levels:
                return index
        return 1

    def _status(self) -> None:
        total = len(self.principle_of)
        done = len(self.levels)
        text = f"{done} of {total} statements answered"
        if self.comments:
            text += f" · {len(self.comments)} comment(s)"
        self.query_one("#survey-status", Static).update(text + " · draft kept on this machine")

    # ------------------------------------------------------------------ keys

    def _statement(self) -> str | None:
        box = self.query_one("#survey-statements", OptionList)
        if box.highlighted is None:
            return None
        option = box.get_option_at_index(box.highlighted)
        return None if option.disabled else option.id

    def _set(self, value: int | str | None, *, advance: bool = True) -> None:
        sid = self._statement()
        if sid is None:
            return
        if value is None:
            self.levels.pop(sid, None)
        else:
            self.levels[sid] = value
        self.save_draft()
        box = self.query_one("#survey-statements", OptionList)
        at = box.highlighted or 0
        self.refresh_list()
        if advance:
            following = range(at + 1, box.option_count)
            nxt = next((i for i in following if not box.get_option_at_index(i).disabled), at)
            box.highlighted = nxt

    def action_rate(self, index: int) -> None:
        values = self.framework.scale.values
        if 0 <= index < len(values):
            self._set(values[index])
        else:
            self.notify(f"The scale has {len(values)} levels: 1 to {len(values)}", timeout=3)

    def action_prefer_not(self) -> None:
        self._set(PREFER_NOT)

    def action_clear(self) -> None:
        self._set(None, advance=False)

    def action_comment(self) -> None:
        from observe.app.dialogs.survey_comment import CommentDialog

        sid = self._statement()
        box = self.query_one("#survey-statements", OptionList)
        if sid is None and box.highlighted is not None:
            sid = next(iter(self.principle_of), None)
        if sid is None:
            return
        principle = self.principle_of[sid]
        title = next(d.title for d in self.framework.domains if d.id == principle)

        def written(text: str | None) -> None:
            if text is None:
                return
            if text.strip():
                self.comments[principle] = text
            else:
                self.comments.pop(principle, None)
            self.save_draft()
            self.refresh_list()

        self.app.push_screen(CommentDialog(title, self.comments.get(principle, "")), written)

    def action_leave(self) -> None:
        self.dismiss(False)

    def action_submit(self) -> None:
        from observe.app.dialogs.survey_comment import ConfirmSubmit

        missing = len(self.principle_of) - len(self.levels)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit()

        self.app.push_screen(ConfirmSubmit(missing), confirmed)

    # ------------------------------------------------------------------ the disk

    # Drafts supersede drafts only: in the default group a late draft would cancel a submit.
    @work(
        thread=True,
        exclusive=True,
        group="survey-draft",
        exit_on_error=False,
        name="saving the survey draft",
    )
    def save_draft(self) -> None:
        from observe.services import survey

        with self._disk:  # the newest state, written after any earlier write
            if self.submitted:
                return  # a draft must not come back after the answer went
            levels, comments = dict(self.levels), dict(self.comments)
            survey.save_draft(self.observe_app.workspace.root, self.round.id, levels, comments)

    @work(
        thread=True, group="survey-submit", exit_on_error=False, name="submitting the survey answer"
    )
    def submit(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services import survey

        root = self.observe_app.workspace.root
        with self._disk:
            try:
                survey.submit(root, self.round.id, dict(self.levels), dict(self.comments))
            except ObserveError as exc:
                message = plain(str(exc))
                self.app.call_from_thread(self.notify, message, severity="error", timeout=10)
                return
            self.submitted = True
        self.app.call_from_thread(self._done)

    def _done(self) -> None:
        self.notify("Answer sent. Nothing of it is kept on this machine.", timeout=6)
        self.dismiss(True)

    @on(OptionList.OptionSelected, "#survey-statements")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter moves on; the keys rate
        box = self.query_one("#survey-statements", OptionList)
        box.action_cursor_down()
