"""Load and validate framework files (criteria/*.toml).

Every error is one line naming the file, the line where one can be found, and the path of
the bad field, e.g. ``criteria/x.toml:42: domains[2].criteria[0].title: field required``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from observe.core.errors import FrameworkError, NotFound
from observe.core.models import Framework

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
            if name.isdigit():
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


def parse(text: str, source: Path | str = "<text>") -> Framework:
    name = _display(Path(source)) if not isinstance(source, str) else source
    try:
        data = tomllib.loads(text)
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
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        line, message = _first_error(exc, text)
        where = f"{name}:{line}" if line else name
        raise FrameworkError(f"{where}: {message}") from None


def load(path: Path) -> Framework:
    """One framework file, or FrameworkError with a one-line reason."""
    name = _display(path)
    try:
        raw = path.read_bytes()
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
    """Every framework in a criteria folder, with the files that failed and why."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    errors: dict[Path, str] = field(default_factory=dict)

    def get(self, framework_id: str | None = None) -> Framework:
        if framework_id is None:
            if "good-facilitation" in self.frameworks:
                return self.frameworks["good-facilitation"]
            if self.frameworks:
                return next(iter(self.frameworks.values()))
            raise NotFound("no valid framework in the criteria folder")
        if framework_id in self.frameworks:
            return self.frameworks[framework_id]
        known = ", ".join(sorted(self.frameworks)) or "none"
        raise NotFound(f"no framework with id {framework_id!r} (known: {known})")


def load_all(criteria_dir: Path) -> Catalog:
    catalog = Catalog()
    for path in sorted(criteria_dir.glob("*.toml")):
        try:
            framework = load(path)
        except FrameworkError as exc:
            catalog.errors[path] = str(exc)
            continue
        if framework.id in catalog.frameworks:
            catalog.errors[path] = (
                f"{_display(path)}: duplicate framework id {framework.id!r}"
                f" (also in {catalog.paths[framework.id].name})"
            )
            continue
        catalog.frameworks[framework.id] = framework
        catalog.paths[framework.id] = path
    return catalog
