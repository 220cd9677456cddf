"""A synthetic county to try the program with: Jinyun's 18 township-level units, generated village committees,
their mediators, and a year of cases shaped like Jinyun's 2021 report (MEDIATION.md).

Nothing in it belongs to a real person (see ``demo.synthetic``); the database carries the setting
``desk.synthetic = "1"`` so that every view can say so. Cases go through the same validation as typed-in ones
(``domain.intake.clean_case``, ``services.cases.case_values``), their statuses are derived with
``domain.lifecycle`` (``status_after_outcome`` for outcomes and filing), and the store stamps revisions and
writes the audit trail exactly as for real input (the roster through the ORM flush hook, cases and their records
through ``store.bulk.BulkWriter``). Everything after the first-run set-up is one transaction, flushed every few
hundred cases.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from mediation_desk.demo.mediation import proceed
from mediation_desk.demo.places import COUNTY_CODE, COUNTY_NAME
from mediation_desk.demo.plans import case_plans
from mediation_desk.demo.registration import register_case
from mediation_desk.demo.roster import county_roster
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.screening import screening_rounds
from mediation_desk.demo.synthetic import Synth
from mediation_desk.demo.townships import county_townships
from mediation_desk.domain.codes import OrgLevel, UserRole
from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission
from mediation_desk.services.desk import Actor, set_setting
from mediation_desk.services.setup import SetupInput, initialise
from mediation_desk.store.database import discard_staging, move_into_place, new_staging_folder
from mediation_desk.store.datadir import DataDir

DEMO_ADMIN = "demo"
DEMO_PASSWORD = "demo-password"  # documented on purpose: a demo desk holds synthetic data only
SYNTHETIC_SETTING = "desk.synthetic"
DEFAULT_VILLAGES = 261
DEFAULT_CASES = 4252
MAX_VILLAGES = 5000  # keeps every township under 800 villages: 12-digit codes have three digits for them
FLUSH_EVERY = 300  # cases per flush: large enough for executemany, small enough to keep the session light


@dataclass(frozen=True, slots=True)
class DemoSummary:
    orgs: int
    villages: int
    mediators: int
    cases: int
    year: int


def create_demo(
    root: Path,
    *,
    villages: int = DEFAULT_VILLAGES,
    cases: int = DEFAULT_CASES,
    year: int | None = None,
    seed: int = 2021,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Create a desk in ``root`` for the county 缙云县 filled with synthetic data (administrator ``demo``, password
    ``demo-password``) and return what it holds. Refuses (``DomainError``) a folder that already holds a desk.

    ``progress(done, total)`` is called now and then; an exception raised from it (a cancel button) stops the
    work. The desk is built in a hidden folder beside ``root`` and moved into place only when complete, so a
    failure, a cancel or a killed process leaves ``root`` as it was. The same seed and year give the same people,
    places, cases and numbers (only record ids and timestamps differ).
    """
    today = date.today()
    year = today.year - 1 if year is None else year
    limit = today - timedelta(days=1)
    _check_options(root, villages, cases, year, today, limit)
    actor = Actor(DEMO_ADMIN, UserRole.ADMIN)
    setup = SetupInput(COUNTY_CODE, COUNTY_NAME, OrgLevel.COUNTY, None, DEMO_ADMIN, DEMO_PASSWORD)
    staging = new_staging_folder(root)  # the desk is built beside its place and moved in only when complete
    try:
        desk = initialise(staging, setup, actor)
        try:
            reference = min(date(year, 12, 31), limit)  # ages at the end of the year: same seed, same people
            synth = Synth(random.Random(seed), today=reference)
            with desk.write("demo.create", Permission.MANAGE_ORGS) as work:
                summary = build_county(DemoRun(work, synth, year, limit, progress), villages, cases)
        finally:
            desk.close()
        move_into_place(staging, root)
    finally:
        discard_staging(staging)
    return summary


def _check_options(root: Path, villages: int, cases: int, year: int, today: date, limit: date) -> None:
    if not 2011 <= year <= today.year:
        raise DomainError(f"演示数据的年份应在 2011 年（《人民调解法》施行）至 {today.year} 年之间")
    if date(year, 1, 1) > limit:
        raise DomainError(f"{year} 年还没有过去的日子可以生成案件，请选择更早的年份")
    if villages < 0 or cases < 0:
        raise DomainError("村（社区）数和案件数不能为负数")
    if villages > MAX_VILLAGES:
        raise DomainError(f"村（社区）数过多：演示数据最多 {MAX_VILLAGES} 个")
    if DataDir(root).exists():
        raise DomainError(f"数据文件夹 {root} 中已经有工作台数据库；演示数据只能建在新的（空的）文件夹中")


def build_county(run: DemoRun, villages: int, cases: int) -> DemoSummary:
    """Organisations, roster, case plans and screening, then every case, flushed every ``FLUSH_EVERY``."""
    run.total_steps = villages + cases + 1
    set_setting(run.session, SYNTHETIC_SETTING, "1")
    run.work.changed("setting")
    townships = county_townships(run, villages)
    run.tick(1)
    county_roster(run, townships)
    plans = case_plans(run, townships, cases)
    screening_rounds(run, townships, plans)
    run.session.flush()
    pending = 0
    for plan in plans:
        proceed(run, register_case(run, plan))
        pending += 1
        if pending == FLUSH_EVERY:
            run.flush()
            run.tick(pending)
            pending = 0
    run.flush()
    run.tick(pending)
    run.work.changed(
        "dispute_case",
        "party",
        "case_mediator",
        "investigation_record",
        "session_record",
        "outcome",
        "agreement",
        "follow_up",
        "judicial_confirmation",
    )
    orgs = 1 + len(townships) + villages
    return DemoSummary(orgs=orgs, villages=villages, mediators=run.mediators, cases=len(plans), year=run.year)
