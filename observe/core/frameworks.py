"""Load and validate framework files (criteria/*.toml).

Every error is one line naming the file, the line where one can be found, and the path of
the bad field, e.g. ``criteria/x.toml:42: domains[2].criteria[0].title: field required``.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from observe.core.errors import FrameworkError, NotFound
from observe.core.models import Framework
from observe.core.readfile import MiB, read_regular, too_deep
from observe.core.survey import is_survey, survey_problem

MAX_BYTES = 1 * MiB  # the default framework is about 30 KB
MAX_DEPTH = 16  # a framework nests six levels (domains[].criteria[].descriptors)
LONGEST_LINE_MAPPED = 1000  # header and key lines are short; a long line is text
BOM = "\ufeff"
# Shown in no field: they would move the terminal's cursor, or reorder what a reader sees.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NOT_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_NOT_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_ONE_LINE_FIELDS = frozenset({"id", "version", "title", "label", "kind"})

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_PATH_IN_MSG = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (.*)$")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _loc_text(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_map(text: str) -> dict[tuple[str | int, ...], int]:
    """Map field paths to the line (1-based) where they are written, as far as can be seen."""
    lines: dict[tuple[str | int, ...], int] = {}
    counters: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > LONGEST_LINE_MAPPED:  # (the header pattern backtracks on long lines)
            continue
        header = _HEADER.match(line)
        if header:
            names = [n.strip().strip('"') for n in header.group(2).split(".")]
            path: list[str | int] = []
            for i, name in enumerate(names):
                path.append(name)
                is_last = i == len(names) - 1
                if is_last and header.group(1) == "[[":
                    key = tuple(path)
                    counters[key] = counters.get(key, -1) + 1
                    path.append(counters[key])
                elif not is_last and tuple(path) in counters:
                    path.append(counters[tuple(path)])
            current = tuple(path)
            lines.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if key:
            name = key.group(1).strip('"')
            lines.setdefault((*current, name), number)
            if name.isascii() and name.isdigit():  # "¹" is a digit to isdigit, not to int
                lines.setdefault((*current, int(name)), number)
    return lines


def _find_line(lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _parse_loc(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for piece in text.split("."):
        match = re.match(r"^([a-z_]+)((?:\[\d+\])*)$", piece)
        if not match:
            return ()
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return tuple(parts)


_PATTERNS = {
    r"^[A-Za-z][A-Za-z0-9._-]{0,15}$": "a letter, then up to 15 letters, digits, '.', '_' or '-'",
    r"^[a-z0-9][a-z0-9_-]*$": "lowercase letters, digits, '-' or '_' only",
}
_TYPES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
}


def _friendly(err: dict) -> str | None:
    """Pydantic's wording, said in the terms of a TOML file, with the value that was found."""
    kind, got = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return f"{got!r} is not a valid id: use {_PATTERNS[ctx['pattern']]}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        found = ctx.get("actual_length", 0)
        return "must not be empty" if least == 1 else f"needs at least {least}, found {found}"
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"{got!r} is not allowed: expected {ctx['expected']}"
    if kind in _TYPES:
        return f"expected {_TYPES[kind]}, got {got!r}"
    return None


def _first_error(exc: ValidationError, text: str) -> tuple[int | None, str]:
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if p not in ("function-after", "[key]"))
    message = str(err["msg"]).removeprefix("Value error, ")
    inner = _PATH_IN_MSG.match(message)
    if inner and not loc:
        loc = _parse_loc(inner.group(1))
        message = inner.group(2)
    message = " ".join(message.split())
    if err["loc"] and err["loc"][-1] == "[key]":
        message = f"{err.get('input')!r} is not a level number"
    else:
        message = _friendly(err) or message
    where = _loc_text(loc)
    count = exc.error_count()
    more = f" (and {count - 1} more)" if count > 1 else ""
    return _find_line(
        _line_map(text), loc
    ), f"{where}: {message}{more}" if where else message + more


def _bad_character(value: str, one_line: bool) -> str | None:
    found = (_NOT_IN_LINE if one_line else _NOT_IN_TEXT).search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if re.fullmatch(f"[{_BIDI}]", found.group()):
        return f"bidi control {code} is not allowed (it reorders what a reader sees)"
    return f"control character {code} is not allowed" + (" (one line only)" if one_line else "")


def _text_problem(value: Any, loc: tuple[str | int, ...] = ()) -> tuple[tuple, str] | None:
    """The first string with a character no field may hold, and why."""
    stack: deque[tuple[Any, tuple]] = deque([(value, loc)])  # in the file's order
    while stack:
        item, where = stack.popleft()
        if isinstance(item, str):
            names = [p for p in where if isinstance(p, str)]
            why = _bad_character(item, bool(names) and names[-1] in _ONE_LINE_FIELDS)
            if why:
                return where, why
        elif isinstance(item, dict):
            stack += [(v, (*where, k)) for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(v, (*where, i)) for i, v in enumerate(item)]
    return None


def _file_problem(framework: Framework, data: dict[str, Any]) -> tuple[tuple, str] | None:
    """What a framework file may not hold, though a session's snapshot of an older one may."""
    if is_survey(framework):
        problem = survey_problem(framework)
        if problem is not None:
            return problem
    seen: dict[str, int] = {}
    for d, domain in enumerate(framework.domains):
        key = domain.id.upper()
        if key in seen:
            return ("domains", d, "id"), (
                f"duplicate domain id {domain.id!r} (also at domains[{seen[key]}])"
            )
        seen[key] = d
        for c, criterion in enumerate(domain.criteria):
            if criterion.modes == []:
                return ("domains", d, "criteria", c, "modes"), (
                    "must not be empty (leave it out to apply to every mode)"
                )
    return _text_problem(data)


def _nested_too_deeply(name: str) -> FrameworkError:
    return FrameworkError(f"{name}: nested too deeply (more than {MAX_DEPTH} levels)")


def parse(text: str, source: Path | str = "<text>") -> Framework:
    """The framework in ``text``, or FrameworkError: one line naming file, line and field."""
    try:
        return _parse(text, source)
    except FrameworkError as exc:
        raise FrameworkError(_one_line(str(exc))) from None


def _parse(text: str, source: Path | str) -> Framework:
    name = _display(Path(source)) if not isinstance(source, str) else source
    if text.startswith(BOM):
        raise FrameworkError(
            f"{name}:1: the file starts with a byte order mark (BOM); save it as UTF-8 without one"
        )
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise _nested_too_deeply(name) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = _TOML_LINE.search(msg)
        msg = _TOML_LINE.sub("", msg).strip()
        if msg == "Illegal character '\\n'":
            msg += " (a string without its closing quote?)"
        where = f"{name}:{line.group(1)}" if line else name
        raise FrameworkError(f"{where}: TOML syntax error: {msg}") from None
    if not data:
        raise FrameworkError(
            f"{name}: the file is empty; a framework needs id, version, title, scale and domains"
        )
    if too_deep(data, MAX_DEPTH):
        raise _nested_too_deeply(name)
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        line, message = _first_error(exc, text)
        where = f"{name}:{line}" if line else name
        raise FrameworkError(f"{where}: {message}") from None
    problem = _file_problem(framework, data)
    if problem is not None:
        loc, message = problem
        line = _find_line(_line_map(text), loc)
        where = f"{name}:{line}" if line else name
        raise FrameworkError(f"{where}: {_loc_text(loc)}: {message}")
    return framework


def _one_line(message: str) -> str:
    """Values quoted in a message are shown escaped: no control character reaches a terminal."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode()
        for ch in message
    )


def load(path: Path) -> Framework:
    """One framework file, or FrameworkError with a one-line reason."""
    name = _one_line(_display(path))
    try:
        raw = read_regular(path, MAX_BYTES)  # a FIFO named *.toml must not hang anything
    except OSError as exc:
        raise FrameworkError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise FrameworkError(f"{name}: not a text file (binary content)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrameworkError(f"{name}:{line}: not UTF-8 text (byte {exc.start})") from None
    return parse(text, path)


@dataclass
class Catalog:
    """Every framework in a criteria folder, with the files that failed and why.

    ``frameworks`` holds the observation frameworks only (every observation screen and
    command offers these); surveys are kept apart in ``surveys``.
    """

    frameworks: dict[str, Framework] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    errors: dict[Path, str] = field(default_factory=dict)
    surveys: dict[str, Framework] = field(default_factory=dict)

    def survey(self, survey_id: str) -> Framework:
        if survey_id in self.surveys:
            return self.surveys[survey_id]
        known = ", ".join(sorted(self.surveys)) or "none"
        raise NotFound(f"no survey with id {survey_id!r} (known: {known})")

    def get(self, framework_id: str | None = None) -> Framework:
        if framework_id is None:
            if "good-facilitation" in self.frameworks:
                return self.frameworks["good-facilitation"]
            if self.frameworks:
                return next(iter(self.frameworks.values()))
            raise NotFound("no valid framework in the criteria folder")
        if framework_id in self.frameworks:
            return self.frameworks[framework_id]
        if framework_id in self.surveys:
            raise NotFound(f"{framework_id!r} is a survey, not an observation framework")
        known = ", ".join(sorted(self.frameworks)) or "none"
        raise NotFound(f"no framework with id {framework_id!r} (known: {known})")


def load_all(criteria_dir: Path) -> Catalog:
    """Every framework file; where two share an id, ``<id>.toml`` (as the packaged default is
    named) wins over a stray copy, else the first by name, and the other names the winner."""
    catalog = Catalog()
    loaded: list[tuple[Path, Framework]] = []
    for path in sorted(criteria_dir.glob("*.toml")):
        try:
            loaded.append((path, load(path)))
        except FrameworkError as exc:
            catalog.errors[path] = str(exc)
    loaded.sort(key=lambda item: (item[0].stem != item[1].id, item[0].name))
    for path, framework in loaded:
        if framework.id in catalog.paths:
            winner = catalog.paths[framework.id].name
            catalog.errors[path] = (
                f"{_display(path)}: duplicate framework id {framework.id!r}"
                f" (also in {winner}, which is used)"
            )
            continue
        kept = catalog.surveys if is_survey(framework) else catalog.frameworks
        kept[framework.id] = framework
        catalog.paths[framework.id] = path
    catalog.frameworks = dict(
        sorted(catalog.frameworks.items(), key=lambda kv: catalog.paths[kv[0]].name)
    )
    catalog.surveys = dict(
        sorted(catalog.surveys.items(), key=lambda kv: catalog.paths[kv[0]].name)
    )
    return catalog
