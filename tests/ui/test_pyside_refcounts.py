"""PySide6 6.12.0 dropped a reference to ``None`` or ``True`` on every signal emit and every Python slot that
returns ``None``; on CPython 3.11 the process aborted after about a thousand signals ("bool_dealloc").
pyproject.toml excludes that release; this test fails on any PySide6 that brings the leak back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(object)


class _Model(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> None:
        return None


def test_signals_and_slots_keep_singleton_refcounts(qapp: object) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(lambda: None)
    emitter.carried.connect(received.append)
    model = _Model()
    index = model.index(0, 0)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.fired.emit()
        emitter.carried.emit(None)
        index.data()
    received.clear()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    if sys.version_info >= (3, 12):  # immortal singletons: counts are fixed and tell nothing
        return
    assert [a - b for a, b in zip(after, before, strict=True)] == [0, 0, 0]
