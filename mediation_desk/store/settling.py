"""Derived tables settled at every commit: the statistics summary (``store.stats_summary``) and the case search
index (``store.search_index``).

Triggers mark what changed, whatever wrote it; ``install`` makes every commit of a connection that ran a write
statement settle the marks first, in the same transaction, before the database commits: each settler in the
order given (the summary, then the index). A settler's own writes do not start another round. ``DEFER`` in
``connection.info`` holds the settling off (the migrations: their statements are not the head schema's; they
settle once at the head).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

DEFER = "settle_defer"  # connection.info: do not settle at commit
_WROTE = "settle_wrote"  # connection.info: this transaction ran a write statement
_BUSY = "settle_busy"

Settler = Callable[[sa.Connection], object]


def _note_write(
    connection: sa.Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    if not connection.info.get(_WROTE) and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        connection.info[_WROTE] = True


def _on_rollback(connection: sa.Connection) -> None:
    connection.info.pop(_WROTE, None)


def install(engine: sa.Engine, *settlers: Settler) -> None:
    """Run ``settlers`` at every commit of a transaction that wrote, on this engine's connections."""

    def on_commit(connection: sa.Connection) -> None:
        if not connection.info.pop(_WROTE, False) or connection.info.get(_BUSY) or connection.info.get(DEFER):
            return
        connection.info[_BUSY] = True
        try:
            for settle in settlers:
                settle(connection)
        finally:
            connection.info[_BUSY] = False
            connection.info.pop(_WROTE, None)

    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", _on_rollback)
