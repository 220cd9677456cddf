"""A hybrid logical clock (Kulkarni et al.), packed in one integer: milliseconds since 1970 × 2¹⁶ + a counter.

Packed this way, "the next tick" is one integer comparison: ``max(last + 1, now << 16)``. The counter runs past
65,535 by borrowing the next millisecond, which keeps ticks unique and ordered at any speed. SYNC.md uses the
clock for display and tie-breaks only, never for conflict detection, and asks that a laptop whose clock says
2035 cannot drag other machines into the future: remote clocks are clamped to ``now + MAX_SKEW`` before they are
observed, and so is a desk's own last tick when its clock has since been set back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

COUNTER_BITS = 16
MAX_SKEW = timedelta(minutes=10)
_SKEW_MS = int(MAX_SKEW.total_seconds() * 1000)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def millis(now: datetime) -> int:
    return (now - _EPOCH) // timedelta(milliseconds=1)


def _limit(now_ms: int) -> int:
    return (now_ms + _SKEW_MS) << COUNTER_BITS


def tick(last: int, now: datetime) -> int:
    """The clock of a local event after ``last``."""
    now_ms = millis(now)
    return max(min(last, _limit(now_ms)) + 1, now_ms << COUNTER_BITS)


def observe(last: int, remote: int, now: datetime) -> int:
    """The clock after receiving a remote event stamped ``remote``: past both, unless ``remote`` is too far ahead."""
    now_ms = millis(now)
    limit = _limit(now_ms)
    return max(min(last, limit) + 1, min(remote, limit) + 1, now_ms << COUNTER_BITS)


def physical(value: int) -> datetime:
    """The wall-clock part of ``value``."""
    return _EPOCH + timedelta(milliseconds=value >> COUNTER_BITS)


def counter(value: int) -> int:
    return value & ((1 << COUNTER_BITS) - 1)


def text(value: int) -> str:
    """A readable form that sorts like the integer while the counter fits: ``20261202T182149.123Z-00003``."""
    when = physical(value)
    return f"{when:%Y%m%dT%H%M%S}.{when.microsecond // 1000:03d}Z-{counter(value):05d}"


def from_text(value: str) -> int:
    stamp, count = value.rsplit("-", 1)
    when = datetime.strptime(stamp, "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
    return (millis(when) << COUNTER_BITS) + int(count)
