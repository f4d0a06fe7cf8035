"""A demo survey round with generated answers, so a new user can see a survey report.

``observe demo`` writes ``<workspace>/survey-demo.json``: a closed round of the shipped
survey and 18 generated answers of 20 members (as in the programme this tool grew from).
They describe no real people and are not encrypted: nothing in them is anyone's. The round
is listed as ``demo`` and reported like any other, with the same suppression, marked as demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import orjson

from observe.core.frameworks import load_all
from observe.core.readfile import read_regular
from observe.core.survey import PREFER_NOT, Answer, Round
from observe.store.atomic import write_atomic
from observe.store.workspace import packaged_criteria

FILE = "survey-demo.json"
DEMO_ID = "s-demo000000000001"
DEMO_TEAM = "t-demo000000000001"
MEMBERS, ANSWERS = 20, 18
MAX_FILE = 4 * 1024 * 1024
COMMENTS = [
    ("P2", "Honest conversations here have made me braver in my own sessions."),
    ("P4", "Sometimes I hold back in the big group; pairs feel safer."),
    ("P5", "I would like more say in choosing the topics for the next meetings."),
    ("P6", "Meetings at the end of the day are hard to make."),
    ("P7", "The conversations about race have been uncomfortable and important."),
    ("P8", "During the move online this group kept me going."),
    ("P9", "I now use the check-in we practise here with my own participants."),
]


def path_of(workspace_root: Path) -> Path:
    return workspace_root / FILE


def generate(workspace_root: Path, seed: int = 1, today: date | None = None) -> Path:
    """Write the demo round and its answers (the same for the same seed)."""
    survey = load_all(packaged_criteria()).survey("community-health")
    rng = random.Random(f"observe-demo-survey:{seed}")
    closes = (today or date.today()) - timedelta(days=7)
    round_ = Round(DEMO_ID, DEMO_TEAM, survey, closes - timedelta(days=14), closes, 5, "demo")
    statements = [c.id for d in survey.domains for c in d.criteria]
    answers = []
    for i in range(ANSWERS):
        warmth = rng.choice([0.5, 1.0, 1.0, 1.5])  # some members agree more than others
        levels: dict[str, int | str] = {}
        for sid in statements:
            roll = rng.random()
            if roll < 0.04:
                levels[sid] = PREFER_NOT
            elif roll < 0.07:
                continue
            else:
                centre = 3.7 + warmth * 0.4 - (0.9 if sid.startswith(("P5", "P6")) else 0)
                levels[sid] = max(1, min(5, round(rng.gauss(centre, 0.9))))
        comments = dict([COMMENTS[i]]) if i < len(COMMENTS) else {}
        nonce = f"{rng.getrandbits(128):032x}"
        answer = Answer(DEMO_ID, DEMO_TEAM, survey.content_hash(), 5, nonce, levels, comments)
        answers.append(orjson.loads(answer.to_json()))
    data = {"format": 1, "round": orjson.loads(round_.to_bytes()), "answers": answers}
    data["members"] = MEMBERS
    path = path_of(workspace_root)
    write_atomic(path, orjson.dumps(data))
    return path


def load(workspace_root: Path) -> tuple[Round, list[Answer], int] | None:
    """The demo round, its answers and its number of members; None when there is none."""
    try:
        data = orjson.loads(read_regular(path_of(workspace_root), MAX_FILE))
    except (OSError, orjson.JSONDecodeError):
        return None
    try:
        round_ = Round.from_bytes(orjson.dumps(data["round"]))
        answers = [Answer.from_json(orjson.dumps(a), round_) for a in data["answers"]]
        members = int(data["members"])
    except (KeyError, TypeError, ValueError):
        return None
    return round_, answers, members
