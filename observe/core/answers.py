"""The per-facilitator documents of a session: the observer's summary, the facilitator's response.

Each is its own document (tables ``summaries`` and ``responses``), one per facilitator, with
an id derived from the session and the facilitator, so that the observer editing a summary
and a facilitator answering at the same time are two documents a merge keeps both of.

A session's status moves one way only: in progress < completed < shared < acknowledged.
Acknowledgement lives in the responses: a shared session is acknowledged once every
facilitator's response says so, and an acknowledgement, once given, is never taken back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from datetime import date as Date
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from observe.core.choices import ActionState, Status
from observe.core.ids import Id, derived_id, new_id

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MAX_ACTIONS = 200  # far more than anyone agrees; a file with more is refused

PROGRESS = (Status.IN_PROGRESS, Status.COMPLETED, Status.SHARED, Status.ACKNOWLEDGED)


def rank(status: Status | str) -> int:
    """How far along a status is (an unknown value counts as not started)."""
    try:
        return PROGRESS.index(Status(status))
    except ValueError:
        return -1


def furthest(*statuses: Status) -> Status:
    """The status furthest along: what a merge or a change may move a session to."""
    return max(statuses, key=rank)


class FacilitatorSummary(BaseModel):
    """The observer's words on one facilitator: strengths, areas for development, summary."""

    model_config = ConfigDict(extra="allow")
    TEXTS: ClassVar[tuple[str, ...]] = ("strengths", "development", "summary")

    id: Id
    rev: int = 1
    facilitator: Id
    strengths: str = ""
    development: str = ""
    summary: str = ""

    @staticmethod
    def id_for(session_id: str, facilitator: str) -> str:
        return derived_id(session_id, f"summary/{facilitator}")

    @classmethod
    def new(cls, session_id: str, facilitator: str, **fields: object) -> FacilitatorSummary:
        return cls(id=cls.id_for(session_id, facilitator), facilitator=facilitator, **fields)

    @property
    def written(self) -> bool:
        return any(getattr(self, name).strip() for name in self.TEXTS)

    def dump(self) -> dict:
        return self.model_dump(mode="json")


class Action(BaseModel):
    """An action the facilitator agrees; its id stays with it through edits and sessions."""

    model_config = ConfigDict(extra="allow")

    id: Id = Field(default_factory=new_id)
    text: NonEmpty
    owner: str = ""
    by: Date | None = None
    state: ActionState = ActionState.OPEN
    changed: Date | None = None  # the day its state last changed (None: open since agreed)

    @staticmethod
    def id_for(response_id: str, index: int) -> str:
        """The id of an action that had none (files from before actions had ids, or written
        without one): made from its response's id and its place, the same on every machine."""
        return derived_id(response_id, f"action/{index}")


class Response(BaseModel):
    """The facilitator's own voice: reflection, agreed actions, acknowledgement."""

    model_config = ConfigDict(extra="allow")

    id: Id
    rev: int = 1
    facilitator: Id
    reflection: str = ""
    actions: list[Action] = Field(default=[], max_length=MAX_ACTIONS)
    acknowledged: bool = False
    acknowledged_at: datetime | None = None
    disagreement: str = ""

    @model_validator(mode="before")
    @classmethod
    def _action_ids(cls, data: Any) -> Any:
        # An action read without an id (a file written by hand or by a script) gets one made
        # from its place, the same at every read: a new random one would differ each time.
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            actions = data.get("actions")
            if isinstance(actions, list) and any(
                isinstance(a, dict) and "id" not in a for a in actions
            ):
                made = [
                    {"id": Action.id_for(data["id"], i), **a}
                    if isinstance(a, dict) and "id" not in a
                    else a
                    for i, a in enumerate(actions)
                ]
                data = {**data, "actions": made}
        return data

    @field_validator("actions")
    @classmethod
    def _unique_actions(cls, actions: list[Action]) -> list[Action]:
        ids = [a.id for a in actions]
        if len(set(ids)) != len(ids):
            raise ValueError("two agreed actions have the same id")
        return actions

    @staticmethod
    def id_for(session_id: str, facilitator: str) -> str:
        return derived_id(session_id, f"response/{facilitator}")

    @classmethod
    def new(cls, session_id: str, facilitator: str, **fields: object) -> Response:
        return cls(id=cls.id_for(session_id, facilitator), facilitator=facilitator, **fields)

    @property
    def written(self) -> bool:
        texts = self.reflection.strip() or self.disagreement.strip()
        return bool(texts or self.actions or self.acknowledged)

    def dump(self) -> dict:
        return self.model_dump(mode="json")


def acknowledged_by_all(facilitators: Iterable[str], responses: Iterable[Response]) -> bool:
    people = list(facilitators)
    acknowledged = {r.facilitator for r in responses if r.acknowledged}
    return bool(people) and all(p in acknowledged for p in people)


def progress(status: Status, facilitators: Iterable[str], responses: Iterable[Response]) -> Status:
    """A session's status: its own, or acknowledged once shared and every facilitator has."""
    if rank(status) >= rank(Status.SHARED) and acknowledged_by_all(facilitators, responses):
        return furthest(status, Status.ACKNOWLEDGED)
    return status


# ---------------------------------------------------------------- merging: only forward


def _earliest(values: Iterable[datetime | None]) -> datetime | None:
    # The earliest moment; equal moments written differently: the smallest text, so that
    # every machine picks the same one. Only fills in a stamp: never decides what wins.
    given = [v for v in values if v is not None]
    return min(given, key=lambda v: (_aware(v), v.isoformat())) if given else None


def _aware(moment: datetime) -> datetime:
    # A file may hold a time without an offset: read as UTC, so times always compare.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def forward_sessions(winners: list[Any], seen: Iterable[Any]) -> list[Any]:
    """The winning versions of a session document, moved to the furthest status any version
    ``seen`` reached (with the earliest completed and shared stamps), so that a merge never
    takes a session back, whatever order its copies arrive in."""
    seen = list(seen)
    status = furthest(*(d.status for d in seen))
    stamps = {
        "completed_at": _earliest(d.completed_at for d in seen),
        "shared_at": _earliest(d.shared_at for d in seen),
    }
    out = []
    for doc in winners:
        update = {k: v for k, v in stamps.items() if getattr(doc, k) != v}
        if doc.status is not status:
            update["status"] = status
        out.append(doc.model_copy(update=update) if update else doc)
    return out


def forward_responses(winners: list[Response], seen: Iterable[Response]) -> list[Response]:
    """The winning versions of a response, acknowledged if any version ``seen`` was (at the
    earliest moment given): an acknowledgement is never taken back by a merge."""
    seen = list(seen)
    winners = [forward_actions(d, seen) for d in winners]
    given = [d for d in seen if d.acknowledged]
    if not given:
        return winners
    at = _earliest(d.acknowledged_at for d in given)
    return [
        d
        if d.acknowledged and d.acknowledged_at == at
        else d.model_copy(update={"acknowledged": True, "acknowledged_at": at})
        for d in winners
    ]


ACTION_RANK = {ActionState.OPEN: 0, ActionState.DROPPED: 1, ActionState.DONE: 2}


def forward_actions(response: Response, seen: Iterable[Response]) -> Response:
    """``response`` with each of its actions closed if any version ``seen`` closed it (done
    over dropped, on the earliest day given for that state): closing an action is never
    undone by a merge, so a close on one machine and an edit on another converge."""
    states: dict[str, list[Action]] = {}
    for version in seen:
        for action in version.actions:
            states.setdefault(action.id, []).append(action)
    actions = []
    for action in response.actions:
        versions = states.get(action.id, [action])
        state = max((a.state for a in versions), key=ACTION_RANK.__getitem__)
        days = sorted({a.changed for a in versions if a.state is state and a.changed})
        changed = days[0] if days else None
        if state is ActionState.OPEN or (action.state is state and action.changed == changed):
            actions.append(action)
        else:
            actions.append(action.model_copy(update={"state": state, "changed": changed}))
    if actions == response.actions:
        return response
    return response.model_copy(update={"actions": actions})


def one_each(
    model: type[Any], docs: Mapping[str, Any], session_id: str, people: list[str]
) -> list[Any]:
    """Per-facilitator documents (summaries or responses) read from a file: one at most per
    facilitator of the session (``people``, their ids), each under the id made from the two,
    in the order the session names its facilitators. ValueError says which rule is broken
    (pydantic's ValidationError, one of them, when a document itself is wrong)."""
    if len(docs) > len(people):  # before validating any: a huge table costs nothing
        many = f"{len(docs)} documents for {len(people)} facilitator(s)"
        raise ValueError(f"{many}; one each at most")
    found: dict[str, Any] = {}
    for doc in docs.values():
        item = model.model_validate(doc)
        if item.facilitator not in people:
            raise ValueError(f"{item.facilitator!r} is not a facilitator of this session")
        if item.facilitator in found:
            raise ValueError(f"two documents for {item.facilitator!r}")
        if item.id != model.id_for(session_id, item.facilitator):
            raise ValueError(f"id {item.id!r} is not this session's id for {item.facilitator!r}")
        found[item.facilitator] = item
    return [found[p] for p in people if p in found]
