"""Definitions of the indicators (MEDIATION.md, Categories and statistics), independent of storage.

- cases: disputes registered in the period (every status)
- mediated (调解案件数): disputes whose mediation ended: agreement, failure or termination
- successful (调解成功数): agreement reached, written or oral
- success_rate: successful ÷ mediated × 100, rounded half up to two decimals (Jinyun 2021: 4,246 ÷ 4,252 = 99.86)
- refused: refused at intake; pending: still open (registered, accepted, mediating)
- amount: the amount involved in successful cases, integer fen, reported in yuan
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mediation_desk.domain.money import fen_to_yuan


def success_rate(successful: int, mediated: int) -> float:
    """Percent with two decimals, as a number (0.0 when nothing was mediated)."""
    if mediated <= 0:
        return 0.0
    value = (Decimal(successful) * 100 / Decimal(mediated)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(value)


@dataclass(slots=True)
class Counts:
    cases: int = 0
    successful: int = 0
    failed: int = 0
    terminated: int = 0
    refused: int = 0
    pending: int = 0
    written_agreements: int = 0
    oral_agreements: int = 0
    amount_fen: int = 0
    persons: int = 0
    group_cases: int = 0
    group_persons: int = 0

    @property
    def mediated(self) -> int:
        return self.successful + self.failed + self.terminated

    @property
    def success_rate(self) -> float:
        return success_rate(self.successful, self.mediated)

    def add(self, other: Counts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "mediated": self.mediated,
            "successful": self.successful,
            "success_rate": self.success_rate,
            "failed": self.failed,
            "terminated": self.terminated,
            "refused": self.refused,
            "pending": self.pending,
            "written_agreements": self.written_agreements,
            "oral_agreements": self.oral_agreements,
            "amount_fen": self.amount_fen,
            "amount_yuan": fen_to_yuan(self.amount_fen),
            "amount_wan_yuan": round(self.amount_fen / 1_000_000, 2),
            "persons": self.persons,
            "group_cases": self.group_cases,
            "group_persons": self.group_persons,
        }
