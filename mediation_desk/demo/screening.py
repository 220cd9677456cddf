"""Screening rounds (矛盾纠纷排查) per township per quarter of the demo year: the disputes found are the cases
the township's committees took up on their own initiative in that quarter."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from mediation_desk.demo.plans import CasePlan
from mediation_desk.demo.run import DemoRun
from mediation_desk.demo.townships import Township
from mediation_desk.domain.codes import CaseSource
from mediation_desk.store.models import ScreeningRound


def screening_rounds(run: DemoRun, townships: list[Township], plans: list[CasePlan]) -> None:
    """One record per township and quarter, up to the last intake date."""
    found: dict[tuple[uuid.UUID, int], int] = {}
    for plan in plans:
        if plan.source is CaseSource.INITIATIVE and plan.intake.year == run.year:
            key = (plan.committee.township.org.id, (plan.intake.month - 1) // 3)
            found[key] = found.get(key, 0) + 1
    for township in townships:
        for quarter in range(4):
            first = date(run.year, quarter * 3 + 1, 1)
            if first > run.end:
                break
            last = date(run.year + 1, 1, 1) if quarter == 3 else date(run.year, quarter * 3 + 4, 1)
            last = min(last - timedelta(days=1), run.end)
            run.session.add(_round(run, township, first, last, found.get((township.org.id, quarter), 0)))
    run.work.changed("screening_round")


def _round(run: DemoRun, township: Township, first: date, last: date, disputes: int) -> ScreeningRound:
    rng = run.rng
    escalations = rng.randint(0, 2)
    return ScreeningRound(
        id=uuid.uuid4(),
        org_id=township.org.id,
        period_start=first,
        period_end=last,
        rounds=rng.randint(2, 3),
        disputes_found=disputes,
        disputes_prevented=rng.randint(0, disputes // 3 + 1),
        escalations_prevented=escalations,
        escalation_persons=sum(rng.randint(3, 15) for _ in range(escalations)),
    )
