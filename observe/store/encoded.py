"""A session file's bytes kept per document, so that a write encodes only what changed.

The file is ``atomic.dumps(tables)``: orjson, indented by two spaces. A document's part of
those bytes depends only on its doc id and its content, so it is encoded once, when it is
put, and a write joins the parts (one Enter encodes the note and the draft, not the file).
``join`` gives exactly the bytes ``dumps`` would; ``tests/test_codec.py`` holds it to that.
"""

from __future__ import annotations

from itertools import chain, repeat
from typing import Any

import orjson

Parts = dict[str, dict[str, bytes]]  # table -> doc id -> that document's bytes in the file


def part(key: str, doc: Any) -> bytes:
    """One document as the file holds it: its doc id and content, indented under its table."""
    body = orjson.dumps(doc, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
    return b"    " + orjson.dumps(key) + b": " + body


def parts_of(tables: dict[str, dict[str, Any]]) -> Parts:
    return {name: {k: part(k, doc) for k, doc in table.items()} for name, table in tables.items()}


def join(parts: Parts) -> bytes:
    """The whole file's bytes, copied together once."""
    if not parts:
        return b"{}\n"
    out = [b"{\n"]
    for name, docs in parts.items():
        out.append(b"  " + orjson.dumps(name) + b": ")
        if docs:
            out.append(b"{\n")
            out.extend(chain.from_iterable(zip(docs.values(), repeat(b",\n"))))
            out[-1] = b"\n  },\n"  # the last document's comma: the table's end instead
        else:
            out.append(b"{},\n")
    out[-1] = out[-1][:-2] + b"\n}\n"  # the last table's comma: the file's end instead
    return b"".join(out)
