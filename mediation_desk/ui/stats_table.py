"""The statistics as Qt models: the organisation tree with the indicator columns (the drill-down table, county →
township → village), the same columns by category (with sub-types), source or month, and the mediators' figures
for the yearly assessment (考核).

Every figure is the service's (``services.stats``), shown with the reports' own formatting
(``stats_export.columns.figure_text``): the success rate is never recomputed here. A node with cases of its own
and organisations below it gets a first child row for its own cases, so every row's figures are the sum of its
children's. ``figure_at`` tells which cases a cell counts, for the list behind a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from mediation_desk.domain.statistics import Counts, Grouping, MediatorCounts
from mediation_desk.services.stats import Group, MediatorRow, OrgNode, Statistics
from mediation_desk.services.stats_export.columns import Kind, figure_text

CONTEXT = "StatsTable"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The raw value of a cell (a number for the figures), for sorting."""

AnyIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True, slots=True)
class FigureColumn:
    key: str  # the attribute of Counts (or MediatorCounts), also the indicator whose cases are behind it
    heading: str
    kind: Kind

    def value(self, counts: Counts | MediatorCounts) -> float | int | None:
        value: float | int | None = getattr(counts, self.key)
        return value


FIGURE_COLUMNS: tuple[FigureColumn, ...] = (
    FigureColumn("cases", str(QT_TRANSLATE_NOOP("StatsTable", "Disputes")), Kind.COUNT),
    FigureColumn("mediated", str(QT_TRANSLATE_NOOP("StatsTable", "Mediated")), Kind.COUNT),
    FigureColumn("successful", str(QT_TRANSLATE_NOOP("StatsTable", "Successful")), Kind.COUNT),
    FigureColumn("success_rate", str(QT_TRANSLATE_NOOP("StatsTable", "Success rate (%)")), Kind.RATE),
    FigureColumn("failed", str(QT_TRANSLATE_NOOP("StatsTable", "Failed")), Kind.COUNT),
    FigureColumn("terminated", str(QT_TRANSLATE_NOOP("StatsTable", "Terminated")), Kind.COUNT),
    FigureColumn("refused", str(QT_TRANSLATE_NOOP("StatsTable", "Refused")), Kind.COUNT),
    FigureColumn("pending", str(QT_TRANSLATE_NOOP("StatsTable", "Open")), Kind.COUNT),
    FigureColumn("written_agreements", str(QT_TRANSLATE_NOOP("StatsTable", "Written agreements")), Kind.COUNT),
    FigureColumn("oral_agreements", str(QT_TRANSLATE_NOOP("StatsTable", "Oral agreements")), Kind.COUNT),
    FigureColumn("amount_wan_yuan", str(QT_TRANSLATE_NOOP("StatsTable", "Amount (10k yuan)")), Kind.WAN),
    FigureColumn("persons", str(QT_TRANSLATE_NOOP("StatsTable", "Persons")), Kind.COUNT),
    FigureColumn("group_cases", str(QT_TRANSLATE_NOOP("StatsTable", "Group disputes")), Kind.COUNT),
    FigureColumn("group_persons", str(QT_TRANSLATE_NOOP("StatsTable", "Group dispute persons")), Kind.COUNT),
    FigureColumn("performed", str(QT_TRANSLATE_NOOP("StatsTable", "Performed")), Kind.COUNT),
    FigureColumn("partly_performed", str(QT_TRANSLATE_NOOP("StatsTable", "Partly performed")), Kind.COUNT),
    FigureColumn("not_performed", str(QT_TRANSLATE_NOOP("StatsTable", "Not performed")), Kind.COUNT),
    FigureColumn("judicial_applied", str(QT_TRANSLATE_NOOP("StatsTable", "Judicial confirmation applied")), Kind.COUNT),
    FigureColumn("judicial_granted", str(QT_TRANSLATE_NOOP("StatsTable", "Judicial confirmation granted")), Kind.COUNT),
    FigureColumn("escalation_risk_cases", str(QT_TRANSLATE_NOOP("StatsTable", "Criminal risk defused")), Kind.COUNT),
    FigureColumn("escalation_risk_persons", str(QT_TRANSLATE_NOOP("StatsTable", "Criminal risk persons")), Kind.COUNT),
)


def heading_of(key: str) -> str:
    """The translated heading of an indicator's column."""
    return _tr(next(column.heading for column in FIGURE_COLUMNS if column.key == key))


TREE_FIRST = 2  # name, level (or code), then the figures
COLUMN_NAME, COLUMN_LEVEL = 0, 1
HEADINGS = (
    str(QT_TRANSLATE_NOOP("StatsTable", "Organisation")),
    str(QT_TRANSLATE_NOOP("StatsTable", "Level")),
)
GROUP_HEADINGS = {
    Grouping.CATEGORY: (
        str(QT_TRANSLATE_NOOP("StatsTable", "Dispute type")),
        str(QT_TRANSLATE_NOOP("StatsTable", "Code")),
    ),
    Grouping.SOURCE: (
        str(QT_TRANSLATE_NOOP("StatsTable", "Case source")),
        str(QT_TRANSLATE_NOOP("StatsTable", "Code")),
    ),
    Grouping.MONTH: (str(QT_TRANSLATE_NOOP("StatsTable", "Month")), str(QT_TRANSLATE_NOOP("StatsTable", "Code"))),
}


def column_of(key: str) -> int:
    """The tree's column of an indicator."""
    return TREE_FIRST + next(index for index, column in enumerate(FIGURE_COLUMNS) if column.key == key)


def _aligned(kind: Kind | None) -> Qt.AlignmentFlag:
    if kind is None:
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(eq=False)
class TreeRow:
    """One row of a figure tree: a label, a second column (an organisation's level, a group's code) and the
    figures, with what they count: an organisation (with its subtree unless ``own``) or one group of a grouping."""

    name: str
    second: str
    tip: str
    counts: Counts
    parent: TreeRow | None
    children: list[TreeRow] = field(default_factory=list)
    number: int = 0  # the row's position under its parent
    org_code: str | None = None  # None: the report's organisation
    own: bool = False
    group: tuple[str, str] | None = None  # (category, subtype, source or month; the group's code)

    def adopt(self, children: list[TreeRow]) -> TreeRow:
        self.children = children
        for number, child in enumerate(children):
            child.parent, child.number = self, number
        return self


@dataclass(frozen=True, slots=True)
class Figure:
    """The cases behind a cell: an organisation (with its subtree unless ``own_only``; ``None``: the report's), an
    indicator, and perhaps one group of a grouping."""

    org_code: str | None
    own_only: bool
    indicator: str
    value: float | int | None
    group: tuple[str, str] | None = None


def org_rows(node: OrgNode) -> TreeRow:
    """An organisation's row and, below it, its own cases' row (when it has both) and its children's."""
    tip = f"{node.name}（{node.code}）"
    row = TreeRow(node.name, node.level.label, tip, node.counts, None, org_code=node.code)
    children = []
    if node.children and node.own.cases:
        name = QCoreApplication.translate("StatsTable", "{name} (own cases)").format(name=node.name)
        own_tip = QCoreApplication.translate(
            "StatsTable", "Cases recorded by {name} itself, not by the organisations below it"
        ).format(name=node.name)
        children.append(TreeRow(name, "", own_tip, node.own, row, org_code=node.code, own=True))
    children += [org_rows(child) for child in node.children]
    return row.adopt(children)


def group_rows(result: Statistics, grouping: Grouping) -> list[TreeRow]:
    """The groups of a grouping (categories with their sub-types below them), then the total."""
    if grouping is Grouping.CATEGORY:
        subtypes: dict[str, list[Group]] = {}
        for group in result.by_subtype:
            subtypes.setdefault(group.parent or "", []).append(group)
        rows = [
            _group_row(group, "category").adopt([_group_row(sub, "subtype") for sub in subtypes.get(group.code, [])])
            for group in result.by_category
        ]
    else:
        rows = [_group_row(group, grouping.value) for group in result.groups(grouping)]
    total = QCoreApplication.translate("StatsTable", "Total")
    rows.append(TreeRow(total, "", total, result.totals, None))
    for number, row in enumerate(rows):
        row.number = number
    return rows


def _group_row(group: Group, kind: str) -> TreeRow:
    return TreeRow(
        group.name, group.code, f"{group.name}（{group.code}）", group.counts, None, group=(kind, group.code)
    )


class StatsTreeModel(QAbstractItemModel):
    """A tree of figure rows: the organisation tree of a ``Statistics`` (the report's organisation at the top), or
    the groups of a grouping (``set_groups``)."""

    def __init__(self, parent: QObject | None = None, *, headings: tuple[str, str] = HEADINGS) -> None:
        super().__init__(parent)
        self.headings = headings
        self._top: list[TreeRow] = []

    def set_statistics(self, result: Statistics | None) -> None:
        self.beginResetModel()
        self._top = [org_rows(result.org_tree[0])] if result is not None and result.org_tree else []
        self.endResetModel()

    def set_groups(self, result: Statistics | None, grouping: Grouping) -> None:
        self.beginResetModel()
        self._top = group_rows(result, grouping) if result is not None else []
        self.endResetModel()

    def row_of(self, index: AnyIndex) -> TreeRow | None:
        if not index.isValid():
            return None
        row = index.internalPointer()
        return row if isinstance(row, TreeRow) else None

    # -- the model's structure --------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's signature
        if column < 0 or column >= self.columnCount() or row < 0:
            return QModelIndex()
        rows = self._children(parent)
        if row >= len(rows):
            return QModelIndex()
        return self.createIndex(row, column, rows[row])

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        row = self.row_of(child)
        if row is None or row.parent is None:
            return QModelIndex()
        return self.createIndex(row.parent.number, 0, row.parent)

    def _children(self, parent: AnyIndex) -> list[TreeRow]:
        if not parent.isValid():
            return self._top
        row = self.row_of(parent)
        return row.children if row is not None and parent.column() == 0 else []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return len(self._children(parent))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return TREE_FIRST + len(FIGURE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < TREE_FIRST:
                return _tr(self.headings[section])
            return _tr(FIGURE_COLUMNS[section - TREE_FIRST].heading)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_aligned(None if section < TREE_FIRST else Kind.COUNT))
        return None

    # -- the cells --------------------------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_of(index)
        if row is None:
            return None
        column = index.column()
        if column < TREE_FIRST:
            return self._label(row, column, role)
        figure = FIGURE_COLUMNS[column - TREE_FIRST]
        value = figure.value(row.counts)
        if role == Qt.ItemDataRole.DisplayRole:
            return figure_text(figure.kind, value)
        if role == SORT_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_aligned(figure.kind))
        if role == Qt.ItemDataRole.ToolTipRole and value:
            return QCoreApplication.translate("StatsTable", "Double-click to list the cases behind this number")
        if role == Qt.ItemDataRole.FontRole and self._bold_row(row):
            return _bold()
        return None

    def _label(self, row: TreeRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return row.name if column == COLUMN_NAME else row.second
        if role == Qt.ItemDataRole.ToolTipRole and column == COLUMN_NAME:
            return row.tip
        if role == Qt.ItemDataRole.FontRole and self._bold_row(row):
            return _bold()
        return None

    def _bold_row(self, row: TreeRow) -> bool:
        """The report's organisation, and the total under the groups."""
        return row.parent is None and (row.group is None)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def figure_at(self, index: AnyIndex) -> Figure | None:
        """What a figure cell counts (``None`` for the name and level columns)."""
        row = self.row_of(index)
        if row is None or index.column() < TREE_FIRST:
            return None
        column = FIGURE_COLUMNS[index.column() - TREE_FIRST]
        return Figure(row.org_code, row.own, column.key, column.value(row.counts), row.group)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


# ---------------------------------------------------------------------------------------------------------------
# the mediators (考核)

MEDIATOR_COLUMNS: tuple[FigureColumn, ...] = (
    FigureColumn("cases", str(QT_TRANSLATE_NOOP("StatsTable", "Cases handled")), Kind.COUNT),
    FigureColumn("mediated", str(QT_TRANSLATE_NOOP("StatsTable", "Mediated")), Kind.COUNT),
    FigureColumn("successful", str(QT_TRANSLATE_NOOP("StatsTable", "Successful")), Kind.COUNT),
    FigureColumn("success_rate", str(QT_TRANSLATE_NOOP("StatsTable", "Success rate (%)")), Kind.RATE),
    FigureColumn("failed", str(QT_TRANSLATE_NOOP("StatsTable", "Failed")), Kind.COUNT),
    FigureColumn("terminated", str(QT_TRANSLATE_NOOP("StatsTable", "Terminated")), Kind.COUNT),
    FigureColumn("average_days", str(QT_TRANSLATE_NOOP("StatsTable", "Average days to close")), Kind.DAYS),
    FigureColumn("follow_ups", str(QT_TRANSLATE_NOOP("StatsTable", "Follow-up visits")), Kind.COUNT),
)
MEDIATOR_LABELS = (
    str(QT_TRANSLATE_NOOP("StatsTable", "Mediator")),
    str(QT_TRANSLATE_NOOP("StatsTable", "Committee")),
    str(QT_TRANSLATE_NOOP("StatsTable", "Employment")),
    str(QT_TRANSLATE_NOOP("StatsTable", "Legal instructor")),
)
MEDIATOR_FIRST = len(MEDIATOR_LABELS)


class MediatorTableModel(QAbstractTableModel):
    """The service's mediator rows, sortable (``sort``: numbers as numbers). Every cell's text and sort key are
    worked out once per result (a county has over a thousand mediators; views ask often)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MediatorRow] = []
        self._texts: list[list[str]] = []
        self._keys: list[list[str | float]] = []

    def set_rows(self, rows: list[MediatorRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._texts, self._keys = [], []
        for row in self.rows:
            labels = [self._label(row, column) for column in range(MEDIATOR_FIRST)]
            values = [figure.value(row.counts) for figure in MEDIATOR_COLUMNS]
            texts = [figure_text(figure.kind, value) for figure, value in zip(MEDIATOR_COLUMNS, values, strict=True)]
            self._texts.append([*labels, *texts])
            self._keys.append([*labels, *(-1.0 if value is None else float(value) for value in values)])
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column's key (numbers as numbers, names by their text), in Python: a proxy's comparisons
        through ``data`` would cost half a second for a county's mediators."""
        if not 0 <= column < self.columnCount() or not self.rows:
            return
        self.layoutAboutToBeChanged.emit()
        order_of = sorted(
            range(len(self.rows)),
            key=lambda number: self._keys[number][column],
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.rows = [self.rows[number] for number in order_of]
        self._texts = [self._texts[number] for number in order_of]
        self._keys = [self._keys[number] for number in order_of]
        moved = {number: position for position, number in enumerate(order_of)}
        for index in self.persistentIndexList():
            if index.isValid():
                self.changePersistentIndex(index, self.index(moved[index.row()], index.column()))
        self.layoutChanged.emit()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else MEDIATOR_FIRST + len(MEDIATOR_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < MEDIATOR_FIRST:
            return _tr(MEDIATOR_LABELS[section])
        return _tr(MEDIATOR_COLUMNS[section - MEDIATOR_FIRST].heading)

    def _label(self, row: MediatorRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.org_name
        if column == 2:
            return (
                QCoreApplication.translate("StatsTable", "Full-time")
                if row.full_time
                else QCoreApplication.translate("StatsTable", "Part-time")
            )
        return QCoreApplication.translate("StatsTable", "Yes") if row.legal_instructor else ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        number, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[number][column]
        if role == SORT_ROLE:
            return self._keys[number][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_aligned(None if column < MEDIATOR_FIRST else Kind.COUNT))
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            row = self.rows[number]
            return f"{row.org_name}（{row.org_code}）"
        return None
