"""Survey frameworks, rounds and answers: what they are and what makes one valid.

A survey is a ``Framework`` of kind ``survey``: its domains are principles, its criteria
are statements, its scale is an agreement scale (strongly disagree .. strongly agree), and
the scale's "not observed" is, in a survey, "prefer not to say" (always offered). Every
principle offers an optional free-text comment.

A round is a lead's invitation to answer one survey between two dates; an answer is one
member's levels and comments for a round, and carries nothing about who gave it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from observe.core.models import Framework

KIND = "survey"
PREFER_NOT = "prefer-not"  # an answer's value for "prefer not to say"
PREFER_NOT_LABEL = "Prefer not to say"
MIN_LEVELS, MAX_LEVELS = 3, 7
MAX_PRINCIPLES, MAX_STATEMENTS = 20, 8
MAX_COMMENT_BYTES = 4000  # a comment's size as JSON text: the answer's padding bounds it
MIN_THRESHOLD, DEFAULT_THRESHOLD, MAX_THRESHOLD = 3, 5, 1000
ROUND_ID = re.compile(r"s-[a-z0-9]{16}")
PRINCIPLE_ID = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,15}")
NONCE = re.compile(r"[0-9a-f]{32}")


def new_round_id() -> str:
    return "s-" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))


def is_survey(framework: Framework) -> bool:
    return framework.kind == KIND


def survey_problem(framework: Framework) -> tuple[tuple, str] | None:
    """The first thing a survey file may not hold, with where it is; None when it is fine."""
    levels = framework.scale.levels
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        return ("scale", "levels"), (
            f"a survey's agreement scale has {MIN_LEVELS} to {MAX_LEVELS} levels, found"
            f" {len(levels)}"
        )
    if not framework.scale.not_observed:
        return ("scale", "not_observed"), (
            "a survey always offers 'prefer not to say'; leave not_observed out or set it true"
        )
    if len(framework.domains) > MAX_PRINCIPLES:
        return ("domains",), f"a survey has at most {MAX_PRINCIPLES} principles"
    for d, domain in enumerate(framework.domains):
        if not PRINCIPLE_ID.fullmatch(domain.id):
            return ("domains", d, "id"), (
                f"{domain.id!r} is not a valid principle id: use a letter, then up to 15"
                " letters, digits, '.', '_' or '-'"
            )
        if len(domain.criteria) > MAX_STATEMENTS:
            return ("domains", d, "criteria"), (
                f"a principle has at most {MAX_STATEMENTS} statements, found {len(domain.criteria)}"
            )
        for c, statement in enumerate(domain.criteria):
            for name in ("descriptors", "look_fors", "modes"):
                if getattr(statement, name):
                    return ("domains", d, "criteria", c, name), (
                        f"a survey statement has no {name} (only id, title and an optional prompt)"
                    )
    return None


# ---------------------------------------------------------------- the agreement scale


def neutral_index(framework: Framework) -> int | None:
    """The middle level's index on an odd scale (neither agree nor disagree), else None."""
    count = len(framework.scale.levels)
    return count // 2 if count % 2 else None


def agree_indices(framework: Framework) -> range:
    """The levels that count as agreeing: those above the middle."""
    count = len(framework.scale.levels)
    return range(count // 2 + count % 2, count)


def statements(framework: Framework) -> list[tuple[str, str]]:
    """(principle id, statement id) in the survey's order."""
    return [(d.id, c.id) for d in framework.domains for c in d.criteria]


# ---------------------------------------------------------------- rounds


@dataclass(frozen=True)
class Round:
    """One invitation to answer a survey, signed by the lead who opened it."""

    id: str
    team: str
    framework: Framework
    opens: date
    closes: date
    threshold: int
    opened_by: str  # a member id: the lead, never anyone who answers
    rev: int = 1

    def is_open(self, today: date) -> bool:
        return self.opens <= today <= self.closes

    def has_closed(self, today: date) -> bool:
        return today > self.closes

    def to_bytes(self) -> bytes:
        data = {
            "format": 1,
            "id": self.id,
            "team": self.team,
            "framework": self.framework.model_dump(mode="json"),
            "opens": self.opens.isoformat(),
            "closes": self.closes.isoformat(),
            "threshold": self.threshold,
            "opened_by": self.opened_by,
            "rev": self.rev,
        }
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)

    @staticmethod
    def from_bytes(raw: bytes) -> Round:
        """A round from untrusted bytes; ValueError with a one-line reason."""
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ValueError("a survey round that is not JSON") from exc
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError("a survey round of an unknown format")
        if not isinstance(data.get("id"), str) or not ROUND_ID.fullmatch(data["id"]):
            raise ValueError("a survey round without a valid id")
        try:
            framework = Framework.model_validate(data.get("framework"))
            opens = date.fromisoformat(str(data.get("opens")))
            closes = date.fromisoformat(str(data.get("closes")))
        except (ValueError, TypeError) as exc:
            raise ValueError("a survey round whose survey or dates do not validate") from exc
        if not is_survey(framework) or survey_problem(framework) is not None:
            raise ValueError("a survey round whose framework is not a valid survey")
        threshold, rev = data.get("threshold"), data.get("rev")
        check_threshold(threshold)
        if type(rev) is not int or not 1 <= rev < 2**31:
            raise ValueError("a survey round with a revision that is not a whole number")
        if closes < opens:
            raise ValueError("a survey round that closes before it opens")
        team, opened_by = data.get("team"), data.get("opened_by")
        if not isinstance(team, str) or not isinstance(opened_by, str):
            raise ValueError("a survey round without its team or lead")
        return Round(data["id"], team, framework, opens, closes, threshold, opened_by, rev)


def check_threshold(value: Any) -> int:
    if type(value) is not int or not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise ValueError(
            f"the reporting threshold is a whole number from {MIN_THRESHOLD} to {MAX_THRESHOLD}"
        )
    return value


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    """One member's answer: levels by statement id, comments by principle id, nothing else
    about them. ``nonce`` is random: it only lets copies of one file count once."""

    round: str
    team: str
    survey_hash: str
    threshold: int  # the round's threshold as the member saw it: it can never go lower
    nonce: str
    levels: dict[str, int | str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "format": 1,
            "round": self.round,
            "team": self.team,
            "survey": self.survey_hash,
            "threshold": self.threshold,
            "nonce": self.nonce,
            "levels": dict(sorted(self.levels.items())),
            "comments": dict(sorted(self.comments.items())),
        }
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)

    @staticmethod
    def from_json(raw: bytes, round_: Round) -> Answer:
        """An answer to ``round_`` from untrusted bytes; ValueError with the reason."""
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ValueError("an answer that is not JSON") from exc
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError("an answer of an unknown format")
        if data.get("round") != round_.id or data.get("team") != round_.team:
            raise ValueError("an answer to another round")
        if data.get("survey") != round_.framework.content_hash():
            raise ValueError("an answer to another version of the survey")
        nonce, threshold = data.get("nonce"), data.get("threshold")
        if not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
            raise ValueError("an answer without a valid nonce")
        check_threshold(threshold)
        levels, comments = data.get("levels"), data.get("comments")
        if not isinstance(levels, dict) or not isinstance(comments, dict):
            raise ValueError("an answer without levels and comments")
        answer = Answer(round_.id, round_.team, data["survey"], threshold, nonce, levels, comments)
        problem = answer_problem(round_.framework, levels, comments)
        if problem:
            raise ValueError(problem)
        return answer


def answer_problem(framework: Framework, levels: dict, comments: dict) -> str | None:
    """Why these levels and comments cannot be an answer to ``framework``; None if they can."""
    known = {c.id: c for d in framework.domains for c in d.criteria}
    values = set(framework.scale.values)
    for key, value in levels.items():
        if key not in known:
            return f"an answer to an unknown statement {key!r}"
        if value != PREFER_NOT and (type(value) is not int or value not in values):
            return f"an answer with a level {value!r} not on the scale"
    principles = {d.id for d in framework.domains}
    for key, text in comments.items():
        if key not in principles:
            return f"a comment on an unknown principle {key!r}"
        if not isinstance(text, str) or not text.strip():
            return "a comment that is not text"
        if comment_size(text) > MAX_COMMENT_BYTES:
            return f"a comment longer than {MAX_COMMENT_BYTES} bytes"
    return None


def comment_size(text: str) -> int:
    return len(orjson.dumps(text))


def padded_size(framework: Framework) -> int:
    """The one size every answer to a round is padded to: room for every level and the
    longest comment on every principle, rounded up to 4 KiB."""
    count = sum(len(d.criteria) for d in framework.domains)
    need = 1024 + count * 48 + len(framework.domains) * (MAX_COMMENT_BYTES + 48)
    return -(-need // 4096) * 4096
