"""Agreed actions over time: their state, which are overdue, and following them up.

An action lives in the facilitator's response of the session where it was agreed; its state
(open, done, dropped) and the day that changed are kept there. When a later observation of
the same facilitator starts, their open actions come with it as follow-up documents (table
``followups``, one per action, id made from the session and the action): a copy of what was
agreed, a label (``A1``) that notes use to tie themselves to it (``!A1``), and the
observer's mark. The follow-up belongs to the new session, so an action closed on the
facilitator's machine and followed up on the observer's are two documents that a merge
keeps both of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from observe.core.answers import Action, Response
from observe.core.choices import ActionState, FollowUpMark
from observe.core.ids import Id, derived_id

LABEL_PREFIX = "A"
TAG = re.compile(r"(?<![\w!])!A(\d{1,3})(?!\w)")  # "!A1" in a note's text
MAX_FOLLOWUPS = 50  # more open actions than this are not carried: the oldest wait


def is_overdue(action: Action, today: Date) -> bool:
    """Open and past the day it was agreed for."""
    return action.state is ActionState.OPEN and action.by is not None and action.by < today


def with_state(response: Response, action_id: str, state: ActionState, on: Date) -> Response:
    """The response with one action moved to ``state`` on day ``on`` (its rev one higher).
    KeyError if the response has no such action; the same state again changes nothing."""
    found = next((a for a in response.actions if a.id == action_id), None)
    if found is None:
        raise KeyError(action_id)
    if found.state is state:
        return response
    changed = found.model_copy(update={"state": state, "changed": on})
    actions = [changed if a.id == action_id else a for a in response.actions]
    return response.model_copy(update={"actions": actions, "rev": response.rev + 1})


def carry(response: Response, action_id: str, by: Date | None) -> Response:
    """The response with an action kept open for another round (a new date if given)."""
    found = next((a for a in response.actions if a.id == action_id), None)
    if found is None:
        raise KeyError(action_id)
    update = {"by": by} if by is not None and by != found.by else {}
    if not update:
        return response
    actions = [a.model_copy(update=update) if a.id == action_id else a for a in response.actions]
    return response.model_copy(update={"actions": actions, "rev": response.rev + 1})


class FollowUp(BaseModel):
    """An action from an earlier observation, followed up in this one."""

    model_config = ConfigDict(extra="allow")

    id: Id
    rev: int = 1
    action: Id
    facilitator: Id
    label: str
    text: str
    owner: str = ""
    by: Date | None = None
    from_session: Id
    from_date: Date | None = None
    mark: FollowUpMark | None = None

    @staticmethod
    def id_for(session_id: str, action_id: str) -> str:
        return derived_id(session_id, f"followup/{action_id}")

    def dump(self) -> dict:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class Agreed:
    """An action as agreed in an earlier session: where it came from, and the action."""

    session_id: str
    started: datetime
    facilitator: str
    action: Action


def open_actions(
    responses: Iterable[tuple[str, datetime, Response]], facilitator: str, before: datetime
) -> list[Agreed]:
    """The facilitator's open actions from sessions started before ``before`` (each response
    given with its session's id and start), oldest first."""
    found = [
        Agreed(sid, started, facilitator, action)
        for sid, started, response in responses
        if response.facilitator == facilitator and started < before
        for action in response.actions
        if action.state is ActionState.OPEN
    ]
    found.sort(key=lambda a: (a.started, a.session_id))
    return found[-MAX_FOLLOWUPS:]


def follow_ups(session_id: str, agreed: Iterable[Agreed]) -> list[FollowUp]:
    """The follow-up documents a new session starts with, labelled A1, A2, ... in order."""
    return [
        FollowUp(
            id=FollowUp.id_for(session_id, a.action.id),
            action=a.action.id,
            facilitator=a.facilitator,
            label=f"{LABEL_PREFIX}{i}",
            text=a.action.text,
            owner=a.action.owner,
            by=a.action.by,
            from_session=a.session_id,
            from_date=a.started.date(),
        )
        for i, a in enumerate(agreed, start=1)
    ]


def marked(follow_up: FollowUp, mark: FollowUpMark | None) -> FollowUp:
    """The follow-up with the observer's mark (None clears it), its rev one higher."""
    if follow_up.mark == mark:
        return follow_up
    return follow_up.model_copy(update={"mark": mark, "rev": follow_up.rev + 1})


def tags(text: str) -> list[str]:
    """The action labels a note's text ties it to (``!A1`` -> ``A1``), in order, once each."""
    out: list[str] = []
    for m in TAG.finditer(text):
        label = f"{LABEL_PREFIX}{int(m.group(1))}"
        if label not in out:
            out.append(label)
    return out


def evidence(follow_up: FollowUp, notes: Iterable[object]) -> list[object]:
    """The notes tied to a follow-up by its label (objects with ``text``, not deleted)."""
    return [
        n
        for n in notes
        if not getattr(n, "deleted", False) and follow_up.label in tags(getattr(n, "text", ""))
    ]


def label_order(item: FollowUp) -> tuple[int, str]:
    digits = item.label[len(LABEL_PREFIX) :]
    return (int(digits), item.id) if digits.isdecimal() else (1 << 30, item.id)


def checked(docs: object, session_id: str) -> list[FollowUp]:
    """Follow-up documents read from a file, in label order; ValueError (a ValidationError
    when a document itself is wrong) says which rule is broken."""
    if not isinstance(docs, dict):
        raise ValueError("not a table")
    if len(docs) > MAX_FOLLOWUPS:  # before validating any: a huge table costs nothing
        raise ValueError(f"{len(docs)} documents; {MAX_FOLLOWUPS} at most")
    found = [FollowUp.model_validate(doc) for doc in docs.values()]
    if len({f.id for f in found}) != len(found):
        raise ValueError("two follow-ups have the same id")
    for item in found:
        if item.id != FollowUp.id_for(session_id, item.action):
            raise ValueError(f"id {item.id!r} is not this session's id for its action")
    return sorted(found, key=label_order)
