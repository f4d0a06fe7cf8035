"""The ids that enter from files, and the ids derived from them the same on every machine.

Session, document and person ids end up in file names (locks, markers, PDFs), so only these
ever enter: a lowercase UUID or a short slug. Nothing else can climb out of a folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from typing import Annotated

from pydantic import AfterValidator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ID_RULE = "use a UUID or up to 64 lowercase letters, digits and '-'"
_ID = re.compile(ID_PATTERN)


def valid_id(value: object) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _check_id(value: str) -> str:
    if not valid_id(value):
        raise ValueError(f"{value!r} is not a valid id: {ID_RULE}")
    return value


Id = Annotated[str, AfterValidator(_check_id)]


def new_id() -> str:
    return str(uuid.uuid4())


def slugify(text: str) -> str:
    """A stable, ASCII, lowercase id for a person or file name ("Siân O'Neil" -> "sian-o-neil")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower())[:64].strip("-")
    return slug or "x" + hashlib.sha1(text.encode()).hexdigest()[:8]


def derived_id(session_id: str, name: str) -> str:
    """A document's id made from its session and what it is ("summary/asha-rahman"), so
    that two machines making the same document give it the same id (a UUID, always valid)."""
    try:
        namespace = uuid.UUID(session_id)
    except ValueError:  # a slug session id (valid too): a namespace made from it
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"observe-session:{session_id}")
    return str(uuid.uuid5(namespace, name))
