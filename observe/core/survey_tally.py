"""The arithmetic of a survey report, with every figure too small to be safe suppressed.

Rules, each against a reader working out one person's answer:
- Nothing but the number of members is shown until the round has closed: two reports a day
  apart would otherwise differ by exactly the answers that arrived between them.
- No figure comes from fewer answers than the threshold (the largest of the round's, the
  one each answer was given under, and ``MIN_THRESHOLD``); below it the number of answers
  is shown only as "fewer than T".
- A principle's summary pools its statements, so it is hidden whenever any one of its
  statements is: otherwise the hidden statement is the summary minus the shown ones.
- There are no breakdowns by group at all (no region, no role, no date): each would let a
  reader subtract one group from the whole.
- Comments appear only when the whole report does, in a fresh random order each time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from observe.core.models import Framework
from observe.core.survey import (
    MIN_THRESHOLD,
    PREFER_NOT,
    Answer,
    Round,
    agree_indices,
    neutral_index,
)


@dataclass(frozen=True)
class Figures:
    """A distribution over the scale's levels, and what it sums to."""

    counts: tuple[int, ...]

    @property
    def n(self) -> int:
        return sum(self.counts)

    def percent(self, indices: range | list[int]) -> int:
        if not self.n:
            return 0
        share = sum(self.counts[i] for i in indices)
        return int(share * 100 / self.n + 0.5)  # half up, the same on every machine


@dataclass(frozen=True)
class StatementRow:
    id: str
    text: str
    figures: Figures | None  # None when suppressed
    agree_pct: int | None


@dataclass(frozen=True)
class PrincipleRow:
    id: str
    title: str
    statements: list[StatementRow]
    summary: Figures | None
    agree_pct: int | None
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyTally:
    round_id: str
    title: str
    survey_id: str
    survey_version: str
    opens: date
    closes: date
    labels: tuple[str, ...]
    neutral: int | None  # the index of the middle level, when the scale has one
    agree: tuple[int, ...]
    members: int
    answers: int
    threshold: int
    closed: bool
    principles: list[PrincipleRow]
    demo: bool = False  # generated answers (observe demo): they describe no real people

    @property
    def shown(self) -> bool:
        """Whether any figure at all may be shown."""
        return self.closed and self.answers >= self.threshold

    @property
    def answers_text(self) -> str:
        if self.answers < self.threshold:
            return f"fewer than {self.threshold}"
        return str(self.answers)

    @property
    def response_text(self) -> str:
        if self.answers < self.threshold:
            return f"fewer than {self.threshold} of {self.members} members answered"
        rate = int(self.answers * 100 / self.members + 0.5) if self.members else 0
        return f"{self.answers} of {self.members} members answered ({rate}%)"

    @property
    def notes(self) -> list[str]:
        """Why figures are missing, and what a reader should know; one line each."""
        out = []
        if self.demo:
            out.append("Demo data: generated answers that describe no real people.")
        if not self.closed:
            out.append(
                f"Figures appear once the round has closed ({self.closes.isoformat()}):"
                " a report while answers still arrive would show each new one."
            )
        elif self.answers < self.threshold:
            out.append(
                f"Fewer than {self.threshold} answers: every figure is suppressed so that no"
                " one's answers can be seen."
            )
        else:
            out.append(
                f"A statement or principle answered by fewer than {self.threshold} people is"
                " suppressed, and so is a principle any of whose statements is."
            )
        if self.members and self.answers > self.members:
            out.append(
                "There are more answers than members: someone answered twice (from two"
                " machines) or wrote answers by hand. Read the figures with care."
            )
        return out

    @property
    def has_comments(self) -> bool:
        return any(p.comments for p in self.principles)


def effective_threshold(round_: Round, answers: list[Answer]) -> int:
    """The highest threshold anyone was promised: a round's can never drop below it."""
    return max([MIN_THRESHOLD, round_.threshold, *(a.threshold for a in answers)])


def _figures(framework: Framework, values: list[int | str]) -> Figures:
    index = {v: i for i, v in enumerate(framework.scale.values)}
    counts = [0] * len(index)
    for value in values:
        if value != PREFER_NOT and value in index:
            counts[index[value]] += 1
    return Figures(tuple(counts))


def tally(
    round_: Round,
    answers: list[Answer],
    *,
    members: int,
    today: date,
    rng: random.Random | None = None,
    demo: bool = False,
) -> SurveyTally:
    """The report of ``round_`` from its (distinct, valid) ``answers``."""
    framework = round_.framework
    threshold = effective_threshold(round_, answers)
    closed = round_.has_closed(today)
    shown = closed and len(answers) >= threshold
    agree = agree_indices(framework)
    shuffle = (rng or random.SystemRandom()).shuffle
    principles = []
    for domain in framework.domains:
        rows = []
        pooled: list[int] = [0] * len(framework.scale.levels)
        for statement in domain.criteria:
            values = [a.levels[statement.id] for a in answers if statement.id in a.levels]
            figures = _figures(framework, values)
            pooled = [p + c for p, c in zip(pooled, figures.counts, strict=True)]
            safe = shown and figures.n >= threshold
            rows.append(
                StatementRow(
                    statement.id,
                    statement.title,
                    figures if safe else None,
                    figures.percent(agree) if safe else None,
                )
            )
        summary = Figures(tuple(pooled))
        whole = shown and all(r.figures is not None for r in rows) and summary.n >= threshold
        comments = [a.comments[domain.id] for a in answers if domain.id in a.comments]
        comments = comments if shown else []
        shuffle(comments)
        principles.append(
            PrincipleRow(
                domain.id,
                domain.title,
                rows,
                summary if whole else None,
                summary.percent(agree) if whole else None,
                comments,
            )
        )
    return SurveyTally(
        round_id=round_.id,
        title=framework.title,
        survey_id=framework.id,
        survey_version=framework.version,
        opens=round_.opens,
        closes=round_.closes,
        labels=tuple(level.label for level in framework.scale.levels),
        neutral=neutral_index(framework),
        agree=tuple(agree),
        members=members,
        answers=len(answers),
        threshold=threshold,
        closed=closed,
        principles=principles,
        demo=demo,
    )
