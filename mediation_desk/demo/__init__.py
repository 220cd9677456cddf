"""The synthetic county: seeded generators of people, places, organisations and a year of cases, drawing on word
lists and text templates kept as data in ``resources/data/demo/``. No Qt."""

from __future__ import annotations

from mediation_desk.demo.county import (
    DEFAULT_CASES,
    DEFAULT_VILLAGES,
    DEMO_ADMIN,
    DEMO_PASSWORD,
    MAX_VILLAGES,
    SYNTHETIC_SETTING,
    DemoSummary,
    create_demo,
)
from mediation_desk.demo.disputes import DisputeText, date_text, yuan_text
from mediation_desk.demo.people import HAN, SHE, Person, surname_of
from mediation_desk.demo.places import AREA_CODE, COUNTY_CODE, COUNTY_NAME, RETIRED_COUNTY_CODE, Organisation, Place
from mediation_desk.demo.synthetic import Synth
from mediation_desk.demo.templates import DisputeTemplate

__all__ = [
    "AREA_CODE",
    "COUNTY_CODE",
    "COUNTY_NAME",
    "DEFAULT_CASES",
    "DEFAULT_VILLAGES",
    "DEMO_ADMIN",
    "DEMO_PASSWORD",
    "HAN",
    "MAX_VILLAGES",
    "RETIRED_COUNTY_CODE",
    "SHE",
    "SYNTHETIC_SETTING",
    "DemoSummary",
    "DisputeTemplate",
    "DisputeText",
    "Organisation",
    "Person",
    "Place",
    "Synth",
    "create_demo",
    "date_text",
    "surname_of",
    "yuan_text",
]
