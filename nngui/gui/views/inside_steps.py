"""The Inside view's steps panel: a list of the steps beside the chosen step's numbers.

On the left, the forward pass (Zˡ, Aˡ), the loss and the backward pass (dZˡ, dWˡ, dbˡ, dAˡ⁻¹)
of the chosen sample as formulas; on the right, the chosen step's formula and shapes over
small tables of its operands and its result (``inside_formulas`` writes them). Large matrices
show their first rows and columns and "…".
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nngui.core.inside import SampleTrace
from nngui.gui.views.inside_formulas import Step, build_steps, fmt
from nngui.gui.widgets import describe

#: Rows and columns of a matrix shown at most; the rest is elided with "…".
MAX_ROWS = 8
MAX_COLS = 6
#: Operand tables per step at most (Z = A · W + b has three operands and a result).
BLOCKS = 4
ELLIPSIS = "…"


class MatrixTable(QTableWidget):
    """A read-only table of a 1-D or 2-D array, exactly as large as its cells.

    At most MAX_ROWS × MAX_COLS values are shown; a last "…" row or column marks the rest.
    Cells are reused between updates.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table (arrows move within it)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setMinimumSectionSize(56)

    def show_array(self, values: np.ndarray, row_label: str | None = None) -> None:
        """Show ``values`` (n,) or (rows, cols); a single row is labelled ``row_label``."""
        v = np.atleast_2d(values)
        rows, cols = v.shape
        r, c = min(rows, MAX_ROWS), min(cols, MAX_COLS)
        self.setRowCount(r + (rows > r))
        self.setColumnCount(c + (cols > c))
        self.setHorizontalHeaderLabels([str(j) for j in range(c)] + [ELLIPSIS] * (cols > c))
        labels = [str(i) for i in range(r)] + [ELLIPSIS] * (rows > r)
        if rows == 1 and row_label is not None:
            labels = [row_label]
        self.setVerticalHeaderLabels(labels)
        for i in range(self.rowCount()):
            for j in range(self.columnCount()):
                text = fmt(v[i, j]) if i < r and j < c else ELLIPSIS
                self._set_text(i, j, text)
        self._fit()

    def texts(self) -> list[list[str]]:
        """The cells' texts, row by row (including any "…" cells)."""
        return [
            [self._text(i, j) for j in range(self.columnCount())] for i in range(self.rowCount())
        ]

    def _text(self, i: int, j: int) -> str:
        item = self.item(i, j)
        assert item is not None  # show_array fills every cell
        return item.text()

    def _set_text(self, i: int, j: int, text: str) -> None:
        item = self.item(i, j)
        if item is None:
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(i, j, item)
        item.setText(text)

    def _fit(self) -> None:
        """Resize to show every cell without scroll bars."""
        h, v = self.horizontalHeader(), self.verticalHeader()
        frame = 2 * self.frameWidth()
        width = v.sizeHint().width() + sum(h.sectionSize(j) for j in range(h.count())) + frame
        height = h.sizeHint().height() + sum(v.sectionSize(i) for i in range(v.count())) + frame
        self.setFixedSize(width, height)


class StepsPanel(QWidget):
    """A list of the steps beside the chosen step's formula and arrays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._steps: dict[str, Step] = {}
        self._keys: list[str] = []
        self._selected = "Z1"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._make_tree())
        splitter.addWidget(self._make_detail())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 560])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter)

    # ----- construction -------------------------------------------------------------------
    def _make_tree(self) -> QTreeWidget:
        self.tree = describe(
            QTreeWidget(), "Steps",
            "The forward pass (step 6 of the article), the loss and the backward pass "
            "(step 7) for the chosen sample; choose a step to see its numbers.",
        )  # fmt: skip
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Step", "Shape"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        return self.tree

    def _make_detail(self) -> QScrollArea:
        body = QWidget()
        box = QVBoxLayout(body)
        self.formula = describe(QLabel(), "Formula", "The formula of the chosen step.")
        font = QFont(self.formula.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.formula.setFont(font)
        self.shapes = describe(QLabel(), "Shapes", "The shapes the formula combines.")
        self.shapes.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.note = describe(QLabel(), "Explanation", "What the step does and why.")
        self.note.setWordWrap(True)
        for label in (self.formula, self.shapes, self.note):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(label)
        self.captions: list[QLabel] = []
        self.tables: list[MatrixTable] = []
        for i in range(BLOCKS):
            caption = QLabel()
            table = describe(
                MatrixTable(), f"Array {i + 1}",
                "The values (4 significant digits); large arrays show their first rows and "
                "columns. Rows and columns count from 0, as in NumPy.",
            )  # fmt: skip
            box.addWidget(caption)
            box.addWidget(table)
            self.captions.append(caption)
            self.tables.append(table)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        return scroll

    # ----- public API ---------------------------------------------------------------------
    def show_trace(self, trace: SampleTrace | None) -> None:
        """Show the steps of ``trace``; the chosen step stays chosen when it still exists."""
        steps = build_steps(trace) if trace is not None else []
        self._steps = {s.key: s for s in steps}
        keys = [s.key for s in steps]
        if keys != self._keys:
            self._rebuild_tree(steps)
        self._show_step(self._steps.get(self._selected))

    def select(self, key: str) -> None:
        """Choose the step ``key`` ("Z1", "A1", "L", "dZ2", "dW1", "db1", "dA0" …)."""
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == key:
                self.tree.setCurrentItem(item)
                return
        raise KeyError(f"no step {key!r}")

    def current_step(self) -> Step | None:
        """The step shown on the right, or None."""
        return self._steps.get(self._selected)

    # ----- internals ----------------------------------------------------------------------
    def _items(self) -> list[QTreeWidgetItem]:
        root = self.tree.invisibleRootItem()
        items: list[QTreeWidgetItem] = []
        for g in range(root.childCount()):
            group = root.child(g)
            assert group is not None  # g < childCount()
            for i in range(group.childCount()):
                item = group.child(i)
                assert item is not None  # i < childCount()
                items.append(item)
        return items

    def _rebuild_tree(self, steps: list[Step]) -> None:
        self._keys = [s.key for s in steps]
        with QSignalBlocker(self.tree):
            self.tree.clear()
            groups = {}
            for backward, title in ((False, "Forward (step 6)"), (True, "Backward (step 7)")):
                group = QTreeWidgetItem(self.tree, [title, ""])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                groups[backward] = group
            for s in steps:
                item = QTreeWidgetItem(groups[s.backward], [s.formula, s.shape])
                item.setData(0, Qt.ItemDataRole.UserRole, s.key)
                item.setToolTip(0, s.note)
            self.tree.expandAll()
        if self._selected not in self._steps and steps:
            self._selected = steps[0].key
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == self._selected:
                with QSignalBlocker(self.tree):
                    self.tree.setCurrentItem(item)

    def _on_current_changed(self, item: QTreeWidgetItem | None, _: object) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if key in self._steps:
            self._selected = key
            self._show_step(self._steps[key])

    def _show_step(self, step: Step | None) -> None:
        operands = (*step.operands, step.result) if step is not None else ()
        self.formula.setText(step.formula if step else "")
        self.shapes.setText(step.shapes if step else "")
        self.note.setText(step.note if step else "")
        for i, (caption, table) in enumerate(zip(self.captions, self.tables, strict=True)):
            shown = i < len(operands)
            caption.setVisible(shown)
            table.setVisible(shown)
            if shown:
                op = operands[i]
                is_result = i == len(operands) - 1
                caption.setText(f"<b>= {op.caption}</b>" if is_result else op.caption)
                table.show_array(op.values, op.row_label)
