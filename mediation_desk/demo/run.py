"""One demo county being written: the unit of work, the seeded source, the period, progress, and the records
waiting for the next flush of the bulk writer."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from mediation_desk.demo.synthetic import Synth
from mediation_desk.services.desk import UnitOfWork
from mediation_desk.store.bulk import BulkWriter
from mediation_desk.store.models import Synced

LOCAL = timezone(timedelta(hours=8), "CST")


class DemoRun:
    """What every part of the demo builder shares; one per ``create_demo`` call."""

    def __init__(
        self,
        work: UnitOfWork,
        synth: Synth,
        year: int,
        limit: date,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.work = work
        self.session: Session = work.session
        self.synth = synth
        self.rng: random.Random = synth.rng
        self.year = year
        self.start = date(year, 1, 1)
        self.end = min(date(year, 12, 31), limit)  # last intake date
        self.limit = limit  # last date of anything (yesterday)
        self.progress = progress
        self.mediators = 0
        self.total_steps = 1
        self.done = 0
        # records under a case are built as transient objects and changed until the case is complete; the bulk
        # writer reads them at each flush and inserts every table in foreign-key order
        self.records: list[Synced] = []
        self.followers: list[Synced] = []  # what refers to the records (follow-ups, judicial confirmations)
        self.writer = BulkWriter(self.session)
        self.ruling_seq: dict[int, int] = {}

    def tick(self, steps: int) -> None:
        self.done += steps
        if self.progress is not None:
            self.progress(min(self.done, self.total_steps), self.total_steps)

    def at(self, day: date) -> datetime:
        """A working-hours time on ``day`` (local), as an aware UTC datetime."""
        local = datetime.combine(day, time(self.rng.randint(8, 16), self.rng.choice((0, 15, 30, 45))), LOCAL)
        return local.astimezone(UTC)

    def flush(self) -> None:
        """Cases and everything below them go in through the bulk writer (foreign-key order, audited)."""
        for pending in (self.records, self.followers):
            for obj in pending:
                self.writer.add_object(obj)
            pending.clear()
        self.writer.flush()
