"""Sealed documents: what one member seals, its recipients open, and nobody else; any change
to the bytes is refused, and a signature only counts against the writer's own key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe.store.team.envelope import Header, open_sealed, seal
from observe.store.team.errors import BadSignature, Refused, Undecryptable, UnknownWriter
from observe.store.team.keys import Identity

PEOPLE = [Identity.generate() for _ in range(5)]
KEYS = {p.member_id: p.public for p in PEOPLE}


def roster_key(header: Header, payload: bytes) -> Ed25519PublicKey:
    if header.writer not in KEYS:
        raise UnknownWriter(f"writer {header.writer} is not in the roster")
    return KEYS[header.writer].verifier()


def sealed(payload: bytes = b"notes", writer: int = 0, to: tuple[int, ...] = (0, 1)) -> bytes:
    return seal(
        payload,
        writer=PEOPLE[writer],
        kind="session",
        doc="abc-1",
        recipients=[PEOPLE[i].public for i in to],
    )


@settings(max_examples=40, deadline=None)
@given(
    payload=st.binary(max_size=2000),
    writer=st.integers(0, 4),
    to=st.sets(st.integers(0, 4), min_size=1),
    data=st.data(),
)
def test_every_recipient_opens_what_was_sealed(payload, writer, to, data) -> None:
    blob = sealed(payload, writer, tuple(to))
    reader = data.draw(st.sampled_from(sorted(to)))
    opened = open_sealed(blob, reader=PEOPLE[reader], key_for=roster_key)
    assert opened.payload == payload
    assert opened.header.writer == PEOPLE[writer].member_id
    assert set(opened.header.recipients) == {PEOPLE[i].member_id for i in to}


@settings(max_examples=40, deadline=None)
@given(payload=st.binary(max_size=200), to=st.sets(st.integers(0, 3), min_size=1))
def test_nobody_outside_the_recipients_opens_it(payload, to) -> None:
    blob = sealed(payload, 0, tuple(to))
    for outsider in set(range(5)) - to:
        with pytest.raises(Undecryptable):
            open_sealed(blob, reader=PEOPLE[outsider], key_for=roster_key)


BLOB = sealed(b"a note about a named person", 0, (0, 1, 2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.integers(0, len(BLOB) - 1), mask=st.integers(1, 255))
def test_any_single_byte_changed_anywhere_is_refused(at, mask) -> None:
    changed = bytearray(BLOB)
    changed[at] ^= mask
    with pytest.raises(Refused):
        open_sealed(bytes(changed), reader=PEOPLE[1], key_for=roster_key)


def test_every_byte_of_a_small_document_is_covered() -> None:
    """Exhaustively, not by sampling: a flip of the lowest bit of each byte is refused."""
    for at in range(len(BLOB)):
        changed = bytearray(BLOB)
        changed[at] ^= 1
        with pytest.raises(Refused):
            open_sealed(bytes(changed), reader=PEOPLE[2], key_for=roster_key)


@pytest.mark.parametrize("part", [0.0, 0.01, 0.1, 0.5, 0.99])
def test_a_file_still_arriving_is_refused_not_half_read(part) -> None:
    cut = min(int(len(BLOB) * part), len(BLOB) - 1)
    with pytest.raises(Undecryptable):
        open_sealed(BLOB[:cut], reader=PEOPLE[1], key_for=roster_key)


def test_a_member_cannot_sign_as_another() -> None:
    """Member 3 writes a document claiming member 0 wrote it, signing with their own key."""
    impostor = Identity(PEOPLE[0].member_id, PEOPLE[3].age, PEOPLE[3].signing)
    forged = seal(
        b"forged", writer=impostor, kind="session", doc="abc-1", recipients=[PEOPLE[1].public]
    )
    with pytest.raises(BadSignature, match="bad signature"):
        open_sealed(forged, reader=PEOPLE[1], key_for=roster_key)


def test_an_unknown_writer_is_refused() -> None:
    stranger = Identity.generate()
    blob = seal(b"x", writer=stranger, kind="session", doc="d", recipients=[PEOPLE[1].public])
    with pytest.raises(UnknownWriter, match="not in the roster"):
        open_sealed(blob, reader=PEOPLE[1], key_for=roster_key)


def test_a_document_re_sealed_to_someone_it_was_not_for_is_refused() -> None:
    """A recipient who copies the signed inside into a new envelope for an outsider gains
    nothing: the signed header says who it was for."""
    import pyrage

    inner = pyrage.decrypt(sealed(b"x", 0, (0, 1)), [PEOPLE[1].age])
    resealed = pyrage.encrypt(inner, [PEOPLE[4].public.recipient()])
    with pytest.raises(Refused, match="not addressed"):
        open_sealed(resealed, reader=PEOPLE[4], key_for=roster_key)


def test_the_writer_kind_and_document_are_inside_the_encryption() -> None:
    blob = sealed(b"payload-text", 0, (0, 1))
    for visible in (PEOPLE[0].member_id, PEOPLE[1].member_id, "session", "abc-1", "payload"):
        assert visible.encode() not in blob


def test_bad_names_are_refused_when_sealing() -> None:
    with pytest.raises(ValueError):
        seal(b"x", writer=PEOPLE[0], kind="../x", doc="d", recipients=[PEOPLE[0].public])
    with pytest.raises(ValueError):
        seal(b"x", writer=PEOPLE[0], kind="k", doc="d", recipients=[])
