"""The community survey through the team folder: rounds, answers, the leads' report.

A lead opens a round: a document signed by the lead and sealed to every current member,
``members/<lead>/survey-<round>.age``. A member answers it on their own machine: the answer
is padded, encrypted to the leads only, not signed, and dropped under a random name into
``answers/<round>/`` (see ``store.team.survey_drop`` for why there). The member's workspace
remembers only that it answered (``store.survey_local``). A lead's report decrypts the
answers, counts each distinct one once and suppresses what is too small to be safe
(``core.survey_tally``); nothing about the answers is stored on the lead's machine.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from observe.core.errors import NotFound, UsageError
from observe.core.frameworks import load_all
from observe.core.models import Framework
from observe.core.survey import (
    DEFAULT_THRESHOLD,
    Answer,
    Round,
    answer_problem,
    check_threshold,
    is_survey,
    new_round_id,
    padded_size,
)
from observe.core.survey_tally import SurveyTally, tally
from observe.services import survey_demo, team
from observe.store import survey_local
from observe.store.output import write_free
from observe.store.team import survey_drop
from observe.store.team.envelope import seal, unseal
from observe.store.team.errors import Refused, TeamError, Undecryptable
from observe.store.workspace import Workspace, packaged_criteria

KIND = "survey-round"
DEMO_KEY = survey_demo.DEMO_ID
_FILE = re.compile(r"survey-(s-[a-z0-9]{16})\.age")


@dataclass(frozen=True)
class RoundInfo:
    round: Round
    lead: str  # the name of the lead who opened it
    answered_here: bool
    demo: bool = False  # the generated round of `observe demo` (services.survey_demo)

    def status(self, today: date) -> str:
        if today < self.round.opens:
            return "upcoming"
        return "open" if self.round.is_open(today) else "closed"


@dataclass
class Rounds:
    state: team.State | None  # None in a workspace that is in no team
    rounds: list[RoundInfo] = field(default_factory=list)

    @property
    def refused(self) -> list[str]:
        return self.state.refused if self.state else []

    @property
    def lead(self) -> bool:
        roster = self.state.roster if self.state else None
        return roster is not None and self.state is not None and roster.is_lead(self.state.me)

    def team_state(self) -> team.State:
        if self.state is None:
            raise TeamError("this workspace is not in a team (observe team init, or join)")
        return self.state

    def find(self, key: str) -> RoundInfo:
        """The round whose id is ``key`` or starts with it; ``demo`` is the demo round."""
        if key == "demo":
            key = DEMO_KEY
        found = [r for r in self.rounds if r.round.id == key] or [
            r for r in self.rounds if len(key) >= 4 and r.round.id.startswith(key)
        ]
        if not found:
            raise NotFound(f"no survey round {key!r} (see: observe survey list)")
        if len(found) > 1:
            raise UsageError(f"{key!r} names several rounds; give more of the id")
        return found[0]


def find_survey(workspace_root: Path, survey_id: str) -> Framework:
    """A survey from the workspace's criteria, else the one shipped with the app."""
    catalog = load_all(workspace_root / "criteria")
    if survey_id in catalog.surveys:
        return catalog.surveys[survey_id]
    shipped = load_all(packaged_criteria())
    if survey_id in shipped.surveys:
        return shipped.surveys[survey_id]
    return catalog.survey(survey_id)  # raises NotFound naming the known surveys


def _publish(state: team.State, round_: Round) -> None:
    roster = state.require_lead()
    sealed = seal(
        round_.to_bytes(),
        writer=state.identity,
        kind=KIND,
        doc=f"survey-{round_.id}",
        recipients=[m.keys for m in roster.current()],
    )
    state.folder.write(state.me, f"survey-{round_.id}.age", sealed)


def open_round(
    workspace_root: Path,
    survey: Framework,
    opens: date,
    closes: date,
    threshold: int = DEFAULT_THRESHOLD,
) -> Round:
    """A new round of ``survey``, published by this workspace's lead."""
    state = team.refresh(workspace_root)
    state.require_lead()
    if not is_survey(survey):
        raise UsageError(f"{survey.id!r} is not a survey")
    if closes < opens:
        raise UsageError("a round cannot close before it opens")
    try:
        check_threshold(threshold)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    round_ = Round(
        new_round_id(), state.membership.team, survey, opens, closes, threshold, state.me
    )
    survey_drop.prepare(state.folder.root, round_.id, opens)
    _publish(state, round_)
    return round_


def rounds(workspace_root: Path) -> Rounds:
    """Every round this workspace's person can read, newest revision of each, and the demo
    round when ``observe demo`` wrote one."""
    demo = survey_demo.load(workspace_root)
    extra = [RoundInfo(demo[0], "demo", False, demo=True)] if demo else []
    if not in_team(workspace_root):
        return Rounds(None, extra)
    found = _team_rounds(workspace_root)
    found.rounds += extra
    return found


def _team_rounds(workspace_root: Path) -> Rounds:
    state = team.refresh(workspace_root)
    found = Rounds(state)
    roster = state.roster
    if roster is None:
        return found
    best: dict[str, tuple[Round, str, tuple[str, ...]]] = {}
    for entry in state.folder.entries():
        match = _FILE.fullmatch(entry.stands_for)
        if not match:
            continue
        try:
            raw = state.folder.read(entry)
            if raw is None:
                continue
            unsealed = unseal(raw, reader=state.identity)
            if unsealed.header.kind != KIND or unsealed.header.writer != entry.member_id:
                raise Refused("not a survey round of the lead whose part it is in")
            if unsealed.header.doc != f"survey-{match.group(1)}":
                raise Refused("its name is not the one its writer signed")
            opened = unsealed.verify(roster.key_for(unsealed.header, unsealed.payload))
            round_ = Round.from_bytes(opened.payload)
        except Undecryptable:
            continue  # sealed before this person joined
        except (Refused, TeamError, ValueError) as exc:
            state.refused.append(f"{entry.where}: {exc}")
            continue
        if (
            round_.id != match.group(1)
            or round_.team != state.membership.team
            or round_.opened_by != entry.member_id
        ):
            state.refused.append(f"{entry.where}: a survey round that does not match its file")
            continue
        held = best.get(round_.id)
        if held is None or round_.rev > held[0].rev:
            member = roster.get(entry.member_id)
            name = member.name if member else entry.member_id
            best[round_.id] = (round_, name, unsealed.header.recipients)
    current = {m.id for m in roster.current()}
    for round_, _, readers in best.values():  # newcomers since it opened can read it too
        if round_.opened_by == state.me and set(readers) != current and roster.is_lead(state.me):
            _publish(state, round_)
    done = survey_local.answered(workspace_root)
    infos = [RoundInfo(r, lead, r.id in done) for r, lead, _ in best.values()]
    found.rounds = sorted(infos, key=lambda i: (i.round.opens, i.round.id), reverse=True)
    return found


def set_threshold(workspace_root: Path, key: str, threshold: int) -> Round:
    """Change a round's threshold: only its lead, and only while no answer exists."""
    found = rounds(workspace_root)
    info = found.find(key)
    state = found.team_state()
    if info.demo or info.round.opened_by != state.me:
        raise UsageError("only the lead who opened a round can change it")
    try:
        check_threshold(threshold)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if any(survey_drop.answer_files(state.folder.root, info.round.id)):
        raise UsageError("the round has answers already: its threshold is fixed")
    round_ = Round(
        info.round.id,
        info.round.team,
        info.round.framework,
        info.round.opens,
        info.round.closes,
        threshold,
        info.round.opened_by,
        info.round.rev + 1,
    )
    _publish(state, round_)
    return round_


# ---------------------------------------------------------------- answering


def load_draft(workspace_root: Path, round_id: str) -> tuple[dict, dict]:
    return survey_local.load_draft(workspace_root, round_id)


def save_draft(workspace_root: Path, round_id: str, levels: dict, comments: dict) -> None:
    survey_local.save_draft(workspace_root, round_id, levels, comments)


def submit(
    workspace_root: Path, key: str, levels: dict, comments: dict, *, today: date | None = None
) -> RoundInfo:
    """Answer round ``key``: once per workspace, while it is open; the draft is deleted."""
    today = today or date.today()
    found = rounds(workspace_root)
    info = found.find(key)
    round_ = info.round
    if info.demo:
        raise UsageError("the demo round is for trying the report; it takes no answers")
    if info.answered_here:
        raise UsageError("this workspace has answered that round already")
    if not round_.is_open(today):
        when = "opens" if today < round_.opens else "closed"
        day = round_.opens if today < round_.opens else round_.closes
        raise UsageError(f"the round {when} on {day.isoformat()}; it takes no answer today")
    comments = {k: v for k, v in comments.items() if isinstance(v, str) and v.strip()}
    problem = answer_problem(round_.framework, levels, comments)
    if problem:
        raise UsageError(problem)
    roster = found.team_state().roster
    leads = [m.keys for m in roster.leads()] if roster else []
    answer = Answer(
        round_.id,
        round_.team,
        round_.framework.content_hash(),
        round_.threshold,
        secrets.token_hex(16),
        dict(levels),
        comments,
    )
    data = survey_drop.seal_answer(answer.to_json(), padded_size(round_.framework), leads)
    survey_local.mark_answered(workspace_root, round_.id)  # first: a crash cannot allow two
    try:
        survey_drop.drop(found.team_state().folder.root, round_.id, data, round_.opens)
    except BaseException:
        survey_local.unmark_answered(workspace_root, round_.id)
        raise
    survey_local.delete_draft(workspace_root, round_.id)
    return RoundInfo(round_, info.lead, True)


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Report:
    tally: SurveyTally
    refused: int  # answer files that did not open or validate (not counted)
    duplicates: int  # copies of an answer counted once


def report(workspace_root: Path, key: str, *, today: date | None = None) -> Report:
    """The round's report for a lead; nothing about the answers is written anywhere."""
    found = rounds(workspace_root)
    info = found.find(key)
    day = today or date.today()
    demo = survey_demo.load(workspace_root) if info.demo else None
    if demo is not None:
        round_, given, members = demo
        return Report(tally(round_, given, members=members, today=day, demo=True), 0, 0)
    state = found.team_state()
    roster = state.require_lead()
    answers: dict[str, Answer] = {}
    refused = duplicates = 0
    for path in survey_drop.answer_files(state.folder.root, info.round.id):
        raw = survey_drop.read_answer(path)
        if raw is None:
            continue
        try:
            answer = Answer.from_json(survey_drop.open_answer(raw, state.identity), info.round)
        except (Refused, ValueError):
            refused += 1
            continue
        if answer.nonce in answers:
            duplicates += 1
            continue
        answers[answer.nonce] = answer
    # Sorted by a value that is random in every answer: the order of files says nothing.
    ordered = [answers[k] for k in sorted(answers)]
    result = tally(info.round, ordered, members=len(roster.current()), today=today or date.today())
    return Report(result, refused, duplicates)


# ---------------------------------------------------------------- for the app


def in_team(workspace_root: Path) -> bool:
    """Whether this workspace belongs to a team folder (one stat: cheap on home)."""
    return (workspace_root / "team-folder.json").is_file()


def pending(workspace_root: Path, *, today: date | None = None) -> list[RoundInfo]:
    """Open rounds this workspace has not answered yet: what home offers."""
    if not in_team(workspace_root):
        return []
    day = today or date.today()
    found = rounds(workspace_root)
    return [i for i in found.rounds if i.round.is_open(day) and not i.answered_here and not i.demo]


def surveys(workspace_root: Path) -> dict[str, Framework]:
    """The surveys a lead can open a round of: the workspace's, and the shipped ones."""
    found = dict(load_all(packaged_criteria()).surveys)
    found.update(load_all(workspace_root / "criteria").surveys)
    return found


def export_report(workspace: Workspace, key: str, fmt: str) -> Path:
    """The report of round ``key`` as ``fmt`` (pdf or xlsx) in exports/, under a free name."""
    result = report(workspace.root, key)
    if fmt == "pdf":
        from observe.report.survey_pdf import render

        data = render(result.tally)
    else:
        from observe.report.survey_xlsx import workbook

        data = workbook(result.tally)
    return write_free(workspace.exports_dir, f"survey-{result.tally.round_id}.{fmt}", data)
