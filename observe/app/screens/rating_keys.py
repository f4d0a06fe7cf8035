"""The rating keys of the live and wrap-up screens: rate, clear, undo, each confirmed inline.

A rating is one digit, so a digit typed by mistake (a sentence going on after a focus change)
must be impossible to miss and easy to take back: every change is spelt out on the screen's
rating line ("R1 rated 2 for Amara · u undoes") and u or ctrl+z puts back what was there.
"""

from __future__ import annotations

from typing import cast

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from observe.app.plain import plain, shown, styled
from observe.app.widgets.criteria import NOT_OBSERVED, CriteriaList
from observe.core.models import Rating
from observe.services.session_owner import SessionOwner


def rating_bindings(screen: str) -> list[Binding]:
    """The keys that change a rating from anywhere on ``screen`` (live, wrap-up): undo, clear."""
    return [
        Binding(
            "ctrl+z",
            "undo_rating",
            "Undo rating",
            show=False,
            id=f"{screen}.undo_rating",
            tooltip="Put back the rating changed last as it was (also u in the criteria)",
        ),
        Binding(
            "delete",
            "clear_rating",
            "Clear rating",
            show=False,
            id=f"{screen}.clear_rating",
            tooltip="No rating for the highlighted criterion (Backspace in the criteria)",
        ),
    ]


def said(rating: Rating | None) -> str:
    if rating is None:
        return "no rating"
    return "not observed" if rating.level is None else str(rating.level)


class RatingKeys:
    """Mixed into a screen with ``state`` (the owner), ``facilitator`` and one CriteriaList."""

    state: SessionOwner
    RATING_LINE = "#live-rating"

    @property
    def as_screen(self) -> Screen[object]:
        """This screen, typed as one: the class is mixed only into screens (live, wrap-up)."""
        return cast("Screen[object]", self)

    @property
    def facilitator(self) -> str:
        return self.state.session.meta.facilitators[self.state.selected].id

    def _first_name(self, facilitator: str) -> str:
        person = self.state.session.meta.facilitator(facilitator)
        return person.name.split()[0] if person is not None else facilitator

    def _confirm(self, text: str) -> None:
        # Names are the observer's text: shown as typed, never parsed as markup.
        self.as_screen.query_one(self.RATING_LINE, Static).update(plain(text))
        self.as_screen.notify(shown(text), timeout=4, markup=False)

    def after_rating(self) -> None:
        """What else shows a rating (wrap-up's evidence box)."""

    def on_criteria_list_rate(self, event: CriteriaList.Rate) -> None:
        try:
            level = self.state.level_for_key(event.key)
        except ValueError as exc:
            self.as_screen.notify(str(exc), severity="warning", timeout=3)
            return
        who = self.facilitator
        self.state.rate(who, event.criterion, level)
        self.as_screen.query_one(CriteriaList).set_rating(who, event.criterion, level)
        shown = NOT_OBSERVED + " not observed" if level is None else str(level)
        self._confirm(f"{event.criterion} rated {shown} for {self._first_name(who)} · u undoes")
        self.after_rating()

    def on_criteria_list_clear(self, event: CriteriaList.Clear) -> None:
        who = self.facilitator
        if not self.state.clear_rating(who, event.criterion):
            self._confirm(f"{event.criterion} has no rating for {self._first_name(who)}")
            return
        self.as_screen.query_one(CriteriaList).clear_rating(who, event.criterion)
        self._confirm(f"{event.criterion} rating cleared for {self._first_name(who)} · u undoes")
        self.after_rating()

    def on_criteria_list_undo(self, event: CriteriaList.Undo) -> None:
        self.action_undo_rating()

    def action_undo_rating(self) -> None:
        undone = self.state.undo_rating()
        if undone is None:
            self._confirm("No rating change to undo")
            return
        who, criterion, now = undone
        criteria = self.as_screen.query_one(CriteriaList)
        if now is None:
            criteria.clear_rating(who, criterion)
        else:
            criteria.set_rating(who, criterion, now.level)
        self._confirm(f"Undone: {criterion} for {self._first_name(who)} is back to {said(now)}")
        self.after_rating()

    def action_clear_rating(self) -> None:
        criteria = self.as_screen.query_one(CriteriaList)
        if criteria.current is not None:
            self.on_criteria_list_clear(CriteriaList.Clear(criteria.current.id))

    # ------------------------------------------------------------ which mode the keys are in

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.show_mode()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.show_mode()

    def show_mode(self) -> None:
        criteria = self.as_screen.query_one(CriteriaList)
        rating = criteria.has_focus
        self.as_screen.set_class(rating, "-rating")
        current = criteria.current
        if not rating or current is None:
            criteria.border_subtitle = ""
            self.rating_mode("")
            return
        scale = self.state.session.framework.content.scale
        keys = f"{scale.values[0]}-{scale.values[-1]}" if scale.values else "digits"
        name = self._first_name(self.facilitator)
        criteria.border_subtitle = styled((f"RATING {keys}: {current.id} · ", "bold"), name)
        self.rating_mode(
            f"RATING: {keys} rate {current.id} for {name} · ⌫ clears · u undoes · Tab back"
        )

    def rating_mode(self, line: str) -> None:
        """Say elsewhere too that keys now rate (``line``), or that they type again ("")."""
