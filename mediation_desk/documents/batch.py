"""Batch printing: build many forms one after another, reporting progress after each, so that a caller (the
GUI's background task, the command line's progress bar) can show it and stop between two documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BatchJob:
    label: str  # what is being built, for the progress display: 人民调解协议书 (2021)缙五人调字第12号
    build: Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class BatchProgress:
    done: int
    total: int
    label: str
    pdf: bytes


def batch(jobs: Sequence[BatchJob]) -> Iterator[BatchProgress]:
    """Build each job in turn and yield its PDF with the count so far; stop by not asking for the next one."""
    total = len(jobs)
    for done, job in enumerate(jobs, 1):
        yield BatchProgress(done, total, job.label, job.build())
