"""The county's organisations: the 18 township-level units of the reference list, their generated village and
community committees (codes, names and case-number prefixes), and the structure the rest of the demo fills."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from mediation_desk.demo.places import COUNTY_CODE, Place
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.templates import county_profile
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.services.orgs import OrgRow, reference_rows, upsert_orgs
from mediation_desk.store.models import OrgUnit


@dataclass(slots=True)
class Staff:
    id: uuid.UUID
    name: str


@dataclass(slots=True)
class Committee:
    org: OrgUnit
    place: Place
    township: Township
    staff: list[Staff] = field(default_factory=list)
    weight: float = 1.0


@dataclass(slots=True)
class Township:
    org: OrgUnit
    short: str  # 五云, 壶镇, 双溪口
    places: list[Place]
    committees: list[Committee] = field(default_factory=list)
    full_time: list[Staff] = field(default_factory=list)
    own: Committee | None = None  # the township's own mediation (its full-time mediators)


# A township with the village committees planned for it: (code, place) each.
_Planned = tuple[Township, list[tuple[str, Place]]]


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), deterministic."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda index: (counts[index] - shares[index], index))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def short_name(township: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if township.endswith(suffix) and len(township) > len(suffix) + 1:
            return township[: -len(suffix)]
    return township


def unique_prefix(head: str, stem: str, used: set[str]) -> str:
    """A case-number prefix unique in the county, as committees choose them: 缙 + township (+ village) + 人调."""
    for length in range(1, len(stem) + 1):
        prefix = f"{head}{stem[:length]}人调"
        if prefix not in used:
            used.add(prefix)
            return prefix
    serial = 2
    while f"{head}{stem}{serial}人调" in used:
        serial += 1
    used.add(f"{head}{stem}{serial}人调")
    return f"{head}{stem}{serial}人调"


def county_townships(run: DemoRun, villages: int) -> list[Township]:
    """The reference organisations, then ``villages`` committees spread over the townships by their sizes."""
    session = run.session
    upsert_orgs(session, reference_rows())
    county = session.scalar(sa.select(OrgUnit).where(OrgUnit.code == COUNTY_CODE))
    assert county is not None
    orgs = list(
        session.scalars(
            sa.select(OrgUnit)
            .where(OrgUnit.parent_id == county.id, OrgUnit.level == OrgLevel.TOWNSHIP)
            .order_by(OrgUnit.code)
        )
    )
    profile = county_profile()
    weights = [float(profile.township_weights.get(org.code, profile.default_township_weight)) for org in orgs]
    township_prefixes: set[str] = set()
    rows: list[OrgRow] = []
    planned = [
        _plan_township(run, org, count, township_prefixes, rows)
        for org, count in zip(orgs, allocate(villages, weights), strict=True)
    ]
    upsert_orgs(session, rows)
    _add_committees(run, planned, set(township_prefixes))
    run.work.changed("org_unit")
    return [township for township, _ in planned]


def _plan_township(run: DemoRun, org: OrgUnit, count: int, prefixes: set[str], rows: list[OrgRow]) -> _Planned:
    """The township's prefix and generated places; its ``count`` committees as rows to insert (communities
    first, numbered 001…, then villages from 201)."""
    org.case_prefix = unique_prefix("缙", short_name(org.name), prefixes)
    street, town = org.code[6] == "0", org.code[6] == "1"
    communities = min(round(count * 0.3), 150) if street else (1 if town and count >= 8 else 0)
    names = run.synth.place_names(max(count - communities, 0) + (3 if count == 0 else 0), communities)
    places = [Place(org.name, name) for name in names]
    township = Township(org, short_name(org.name), places)
    codes: list[tuple[str, Place]] = []
    for index, place in enumerate(places[:count]):
        number = index + 1 if index < communities else 200 + index - communities + 1
        code = f"{org.code}{number:03d}"
        rows.append(OrgRow(0, code, f"{place.village}人民调解委员会", OrgLevel.VILLAGE, org.code))
        codes.append((code, place))
    return township, codes


def _add_committees(run: DemoRun, planned: list[_Planned], used: set[str]) -> None:
    by_code = {
        org.code: org for org in run.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == OrgLevel.VILLAGE))
    }
    for township, codes in planned:
        for code, place in codes:
            org = by_code[code]
            stem = place.village.removesuffix("社区").removesuffix("村")
            org.case_prefix = unique_prefix(f"缙{township.org.name[0]}", stem, used)
            township.committees.append(Committee(org, place, township, weight=run.rng.uniform(0.4, 1.6)))
        township.own = Committee(township.org, township.places[0], township)
