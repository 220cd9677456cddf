"""Places and organisations of the synthetic county: the county's codes, generated village and community names,
roads, and the companies, shops, clinics and cooperatives that are parties to disputes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from mediation_desk.demo.templates import NameParts, place_words

COUNTY_NAME = "缙云县"
COUNTY_CODE = "331122"
RETIRED_COUNTY_CODE = "332526"
AREA_CODE = "0578"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a person lives: a township-level unit and a village or community in it."""

    township: str
    village: str  # with its 村 / 社区 suffix

    @property
    def is_community(self) -> bool:
        return self.village.endswith("社区")


@dataclass(frozen=True, slots=True)
class Organisation:
    """A generated company, shop, clinic or cooperative that is a party to a dispute."""

    name: str
    representative: str
    phone: str
    address: str


def road(rng: random.Random) -> str:
    """人民路, 解放街, 迎宾大道: a pair of the road characters and a suffix."""
    words = place_words()
    start = rng.randrange(0, len(words.road_characters) // 2) * 2
    return words.road_characters[start : start + 2] + rng.choice(words.road_suffixes)


def place_names(rng: random.Random, villages: int, communities: int = 0) -> list[str]:
    """Generated committee places, unique within one call (one township): communities first, then villages."""
    words = place_words()
    names: list[str] = []
    seen: set[str] = set()
    for count, parts in ((communities, words.community), (villages, words.village)):
        names += _unique_names(rng, count, parts, seen)
    return names


def _unique_names(rng: random.Random, count: int, parts: NameParts, seen: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        stem = rng.choice(parts.first) + rng.choice(parts.second)
        if stem[0] == stem[1] or stem in seen:
            continue
        seen.add(stem)
        names.append(stem + parts.suffix)
    return names


def organisation_name(rng: random.Random, category: str, place: Place) -> str:
    """缙云县恒茂建材有限公司, or for a local business 壶镇镇鑫盛超市: a kind suited to the category."""
    words = place_words()
    kind = rng.choice(words.company_kinds.get(category, (words.default_company_kind,)))
    stem = "".join(rng.sample(words.company_characters, 2))
    prefix = COUNTY_NAME if kind.endswith("公司") else place.township
    return f"{prefix}{stem}{kind}"
