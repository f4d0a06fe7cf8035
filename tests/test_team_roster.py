"""Roster versions: each accepted only when signed by a lead of the version before; a
newcomer's first roster must name them with their own keys; rosters validate."""

from __future__ import annotations

import pytest

from observe.store.team.envelope import seal, unseal
from observe.store.team.errors import TeamError
from observe.store.team.keys import Identity
from observe.store.team.roster import LEAD, MEMBER, REMOVED, Roster, advance, founding

TEAM = "t-" + "0" * 16
A, B, C = (Identity.generate() for _ in range(3))


def sealed_by(writer: Identity, roster: Roster, reader: Identity):
    blob = seal(
        roster.to_bytes(),
        writer=writer,
        kind="roster",
        doc=f"roster-{roster.version}",
        recipients=[m.keys for m in roster.members] + [reader.public],
    )
    return (f"v{roster.version}-by-{writer.member_id}", unseal(blob, reader=reader))


V1 = founding(TEAM, A.public, "Asha")
V2 = V1.with_member(B.public, "Tom")
V3 = V2.with_member(C.public, "Sian")
V4 = V3.with_role(B.member_id, LEAD)
V5 = V4.with_role(A.member_id, REMOVED)


def test_a_chain_of_leads_is_followed_to_the_newest_version() -> None:
    found = [sealed_by(A, V3, C), sealed_by(A, V4, C), sealed_by(B, V5, C)]
    outcome = advance(V3, found, C.public, TEAM)
    assert outcome.roster == V5 and outcome.refused == []


def test_a_version_signed_by_someone_not_a_lead_of_the_version_before_is_refused() -> None:
    v4_by_b = V3.with_role(B.member_id, LEAD)
    outcome = advance(V3, [sealed_by(B, v4_by_b, C)], C.public, TEAM)
    assert outcome.roster == V3
    assert outcome.refused and "may not write a roster" in outcome.refused[0]
    # a removed lead can no longer sign anything
    v6 = V5.with_role(C.member_id, LEAD)
    outcome = advance(V5, [sealed_by(A, v6, C)], C.public, TEAM)
    assert outcome.roster == V5 and "was removed" in outcome.refused[0]


def test_a_newcomer_trusts_only_a_roster_naming_them_with_their_keys() -> None:
    stranger = Identity.generate()
    assert advance(None, [sealed_by(A, V2, C)], C.public, TEAM).roster is None
    fake_c = V2.with_member(stranger.public, "Sian")  # a roster naming "Sian" with other keys
    assert advance(None, [sealed_by(A, fake_c, C)], C.public, TEAM).roster is None
    assert advance(None, [sealed_by(A, V3, C), sealed_by(A, V4, C)], C.public, TEAM).roster == V4
    other_team = Roster("t-" + "1" * 16, V3.version, V3.members)
    outcome = advance(None, [sealed_by(A, other_team, C)], C.public, TEAM)
    assert outcome.roster is None and "another team" in outcome.refused[0]


def test_two_leads_writing_one_version_keep_the_same_one_everywhere() -> None:
    by_a = V4.with_member(Identity.generate().public, "Kwame")
    by_b = V4.with_member(Identity.generate().public, "Priya")
    found = [sealed_by(A, by_a, C), sealed_by(B, by_b, C)]
    first = advance(V4, found, C.public, TEAM)
    second = advance(V4, list(reversed(found)), C.public, TEAM)
    assert first.roster == second.roster and first.roster in (by_a, by_b)
    assert len(first.forks) == 1


def test_rosters_that_cannot_be_meant_are_refused() -> None:
    with pytest.raises(TeamError, match="at least one lead"):
        V2.with_role(A.member_id, MEMBER)
    with pytest.raises(TeamError, match="same name"):
        V2.with_member(C.public, "tom")
    with pytest.raises(TeamError, match="already in the roster"):
        V2.with_member(B.public, "Another")
    bad = V2.to_bytes().replace(b'"member"', b'"owner"')
    with pytest.raises(TeamError, match="unknown role"):
        Roster.from_bytes(bad)
    assert Roster.from_bytes(V3.to_bytes()) == V3
    assert V3.find(" SIAN ").id == C.member_id
    with pytest.raises(TeamError):
        V5.find("Asha")  # removed: no longer a current member
