"""Deterministic synthetic people, places and dispute texts for the demo county, tests and benchmarks.

Everything here is generated from a ``random.Random`` seeded by the caller: the same seed gives the same people
in the same order. Nothing is taken from a real person: people come from ``demo.people``, places and
organisations from ``demo.places``, dispute texts from ``demo.disputes``, all drawing on the word lists and
templates of ``resources/data/demo/``. The demo marks its database as synthetic (setting ``desk.synthetic``)
so every view can say so.
"""

from __future__ import annotations

from mediation_desk.demo.disputes import DisputeSynth
from mediation_desk.demo.places import COUNTY_NAME, Organisation, Place, organisation_name, place_names, road


class Synth(DisputeSynth):
    """A deterministic source of synthetic people, places and texts: same seed, same output, in the same order."""

    def road(self) -> str:
        return road(self.rng)

    def place_names(self, villages: int, communities: int = 0) -> list[str]:
        """Generated committee places, unique within one call (one township): communities first, then villages."""
        return place_names(self.rng, villages, communities)

    def organisation(self, category: str, place: Place) -> Organisation:
        """A generated company, shop, clinic or cooperative suited to the category."""
        name = organisation_name(self.rng, category, place)
        return Organisation(
            name=name,
            representative=self.name(),
            phone=self.landline(),
            address=f"{COUNTY_NAME}{place.township}{self.road()}{self.rng.randint(1, 299)}号",
        )
