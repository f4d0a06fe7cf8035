"""Rating, clearing a rating and undoing the last rating change, for the session owner.

A cleared rating is a tombstone (``deleted``, its rev raised), as a removed note is: no
rating at all, which is not "not observed" (a ``level`` of null). Rating again raises the rev
once more and brings it back, so a merge (the higher rev wins) keeps the latest change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from observe.core.models import Rating
from observe.store.open_session import OpenSession

# (facilitator, criterion, the rating before the change: None when there was none)
RatingChange = tuple[str, str, Rating | None]


class RatingChanges:
    """The ratings part of ``SessionOwner`` (which provides what is declared here)."""

    _open: OpenSession
    _rated: list[RatingChange]
    _wake: Callable[[], None]
    now: Callable[[], datetime]
    evidence: Callable[[str, str], list[str]]

    def rating(self, facilitator: str, criterion: str) -> Rating | None:
        """The rating given now, or None (never given, or cleared)."""
        return self._open.record.rating(facilitator, criterion)

    def rate(self, facilitator: str, criterion: str, level: int | None) -> None:
        before = self.rating(facilitator, criterion)
        evidence = self.evidence(facilitator, criterion)
        self._open.apply_rating(self._open.rated(facilitator, criterion, level, evidence=evidence))
        self._rated.append((facilitator, criterion, before))
        self._wake()

    def clear_rating(self, facilitator: str, criterion: str) -> bool:
        """No rating any more (not "not observed": none); False when there was none."""
        before = self.rating(facilitator, criterion)
        if before is None:
            return False
        self._clear(before)
        self._rated.append((facilitator, criterion, before))
        return True

    def _clear(self, rating: Rating) -> None:
        update = {"deleted": True, "rev": rating.rev + 1, "at": self.now()}
        self._open.apply_rating(rating.model_copy(update=update))
        self._wake()

    def undo_rating(self) -> tuple[str, str, Rating | None] | None:
        """Put back the rating changed last as it was before (none, or its level):
        (facilitator, criterion, the rating now) or None when nothing is left to undo."""
        if not self._rated:
            return None
        facilitator, criterion, before = self._rated.pop()
        now = self.rating(facilitator, criterion)
        if before is None:
            if now is not None:
                self._clear(now)
        else:
            self._open.apply_rating(
                self._open.rated(facilitator, criterion, before.level, evidence=before.evidence)
            )
            self._wake()
        return facilitator, criterion, self.rating(facilitator, criterion)
