"""The rota's files in a workspace: ``rota/<wave>.draft.json`` and ``rota/<wave>.json``.

The draft is what a lead is still adjusting; the other is the last plan published from this
workspace (kept here also when the team folder carries it). The file names come from the
wave's slug, never from the text inside a file. A file that does not read or validate is
reported with its reason and never overwritten by a read.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from pydantic import ValidationError

from observe.core.errors import UsageError
from observe.core.models import slugify
from observe.core.readfile import read_regular
from observe.core.rota.model import Plan
from observe.store.atomic import write_atomic
from observe.store.output import make_dirs
from observe.store.workspace import Workspace

FOLDER = "rota"
MAX_PLAN = 16 * 1024 * 1024
DRAFT, PUBLISHED = ".draft.json", ".json"


def folder(workspace: Workspace) -> Path:
    return workspace.root / FOLDER


def path_for(workspace: Workspace, wave: str, *, draft: bool) -> Path:
    return folder(workspace) / f"wave-{slugify(wave.strip())}{DRAFT if draft else PUBLISHED}"


def parse(raw: bytes, where: str) -> Plan:
    """A plan from bytes read outside; UsageError naming ``where`` and the first problem."""
    try:
        return Plan.model_validate(orjson.loads(raw))
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"{where}: not JSON ({exc})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "plan"
        raise UsageError(f"{where}: not a rota plan ({field}: {first['msg']})") from exc


def encode(plan: Plan) -> bytes:
    return orjson.dumps(plan.model_dump(mode="json"), option=orjson.OPT_INDENT_2)


def load(workspace: Workspace, wave: str, *, draft: bool) -> Plan | None:
    path = path_for(workspace, wave, draft=draft)
    try:
        raw = read_regular(path, MAX_PLAN)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    plan = parse(raw, str(path))
    if slugify(plan.wave.strip()) != slugify(wave.strip()):
        raise UsageError(f"{path} holds the plan of wave {plan.wave!r}, not {wave!r}")
    return plan


def save(workspace: Workspace, plan: Plan, *, draft: bool) -> Path:
    path = path_for(workspace, plan.wave, draft=draft)
    make_dirs(path.parent)
    write_atomic(path, encode(plan))
    return path


def waves(workspace: Workspace) -> list[str]:
    """The waves with a plan in this workspace (draft or published), as their plans say."""
    found: dict[str, str] = {}
    try:
        names = sorted(p.name for p in folder(workspace).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for name in names:
        if not name.startswith("wave-") or not name.endswith(PUBLISHED):
            continue
        try:
            plan = parse(read_regular(folder(workspace) / name, MAX_PLAN), name)
        except (OSError, UsageError):
            continue  # shown with its reason when that wave is asked for
        found.setdefault(slugify(plan.wave.strip()), plan.wave.strip())
    return list(found.values())
