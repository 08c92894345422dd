"""The CSV import view: how the file is written, a role per column, missing values, split.

The dialog reads the file in a background task (a progress bar and Stop; the window never
freezes: a big UTF-8 file, which pandas reads with several threads at full speed, shows a busy
bar, and Stop leaves its read to end unseen) and shows what it found: the detected reader
settings, each editable (the file is read again and the preview follows), one row per column
with its kind, missing and distinct counts and a role (input, target or ignore: text, empty and
constant columns can only be ignored, and say why), the task (automatic: a label column is
classified, numbers regressed; either can be chosen, since an integer column may be a count to
regress), the first rows, the missing-value policy with the rows it drops, the shuffle and the
split. ``spec()`` is the CsvSpec it describes once
accepted; Use Data is off, with the reason beside it, until the choices can make a data set.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import shiboken6
from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from nngui.core.csv_dialect import DELIMITER_NAMES, ENCODINGS, CsvError, Dialect
from nngui.core.csv_roles import ROLES, chosen, default_roles, role_choice
from nngui.core.csv_source import (
    CsvSpec,
    cached_table,
    incomplete_rows,
    label_classes,
    table_task,
)
from nngui.core.csv_table import Table, reads_in_parallel
from nngui.core.data import split_counts
from nngui.core.run_text import plural
from nngui.gui.background_task import BackgroundTask, start_task
from nngui.gui.data_errors import window_words
from nngui.gui.number_box import refused_entries
from nngui.gui.widgets import describe, hint_label, int_spin, read_only_item, share_boxes

PREVIEW_ROWS = 10
MAX_SEED = 2**31 - 1  # QSpinBox holds a C int
ROLE_TEXT = {"input": "Input", "target": "Target", "ignore": "Ignore"}
POLICY_TEXT = {
    "drop": "Drop rows with a missing value",
    "mean": "Fill missing inputs with the training mean",
}
TASK_TEXT = {
    "": "Automatic",
    "regression": "Regression (numbers)",
    "classification": "Classification (classes)",
}
QUOTES = {'"': 'double (")', "'": "single (')"}
DECIMALS = {".": "point (1.5)", ",": "comma (1,5)"}


def cell_text(value: object) -> str:
    """A value of the table as the preview shows it (missing values blank)."""
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else f"{value:.10g}"
    return str(value)


def _combo(name: str, tip: str, items: dict[str, str]) -> QComboBox:
    combo = describe(QComboBox(), name, tip)
    for value, text in items.items():
        combo.addItem(text, value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    """Select the item holding ``value`` (added if the combo lacks it)."""
    at = combo.findData(value)
    if at < 0:
        combo.addItem(value, value)
        at = combo.count() - 1
    combo.setCurrentIndex(at)


class CsvImportDialog(QDialog):
    """Import ``path``, read with ``dialect``; ``spec`` (the settings of an earlier import of
    the file) gives the roles, policy, shuffle and split to start from."""

    def __init__(
        self, path: str, dialect: Dialect, spec: CsvSpec | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("CsvImportDialog")
        self.setWindowTitle(f"Import {os.path.basename(path)}")
        self.path = path
        self.table: Table | None = None
        self._roles: dict[str, str] = {}
        #: The roles the user chose (or an earlier import gave): kept when a read with other
        #: settings takes them away (a wrong decimal mark makes every column text) and back.
        self._chosen: dict[str, str] = {}
        self._others_ignored = spec is not None  # columns an earlier import left out stay out
        if spec is not None:
            self._chosen = {n: "input" for n in spec.inputs} | {n: "target" for n in spec.targets}
        self._given_task = spec.task if spec is not None else ""
        self._threads: list[QThread] = []
        self._task: BackgroundTask | None = None
        self._size = max(os.path.getsize(path), 1) if os.path.exists(path) else 1
        layout = QVBoxLayout(self)
        self._file = QLabel(f"<b>{os.path.basename(path)}</b>")
        self._file.setToolTip(path)
        self._file.setAccessibleName("File read")
        layout.addWidget(self._file)
        layout.addWidget(self._reader_group(dialect))
        self._progress_row = QWidget()
        row = QHBoxLayout(self._progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        self._progress = describe(QProgressBar(), "Reading progress", "How much of it is read.")
        self._progress.setRange(0, 1000)
        self._progress.setFormat("Reading… %p %")
        self._stop = describe(
            QPushButton("S&top Reading"), "Stop reading", "Stop reading the file."
        )
        self._stop.clicked.connect(self._stop_reading)
        row.addWidget(self._progress, 1)
        row.addWidget(self._stop)
        self._problem = hint_label()
        self._problem.setAccessibleName("Import problem")
        self._problem.hide()
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(self._columns_group())
        tables.addWidget(self._preview_group())
        tables.setStretchFactor(0, 2)
        tables.setStretchFactor(1, 3)
        tables.setChildrenCollapsible(False)
        layout.addWidget(tables, 1)
        layout.addWidget(self._options_group(spec))
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._use = self._buttons.addButton("&Use Data", QDialogButtonBox.ButtonRole.AcceptRole)
        self._use.setAccessibleName("Use data")
        self._use.setToolTip("Train on these columns (one undoable step)")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        # Progress and problems beside the buttons: nothing above moves when they come and go.
        bottom = QHBoxLayout()
        bottom.addWidget(self._progress_row, 1)
        bottom.addWidget(self._problem, 1)
        bottom.addWidget(self._buttons)
        layout.addLayout(bottom)
        self.resize(900, 620)
        self._read()

    # ----- construction -------------------------------------------------------------------
    def _reader_group(self, d: Dialect) -> QGroupBox:
        box = QGroupBox("How the file is written (detected; change any)")
        grid = QGridLayout(box)
        self._encoding = _combo(
            "Encoding", "The text encoding of the file.", {e: e for e in ENCODINGS}
        )
        self._delimiter = _combo(
            "Delimiter", "What separates the fields of a line.", DELIMITER_NAMES
        )
        self._quote = _combo("Quote", "The character around fields holding delimiters.", QUOTES)
        self._decimal = _combo(
            "Decimal mark", "What separates the whole part of a number from its fraction.",
            DECIMALS,
        )  # fmt: skip
        self._header = describe(
            QCheckBox("First line holds the column &names"), "Header",
            "Off: the first line is data and the columns are numbered.",
        )  # fmt: skip
        self._markers = describe(
            QLineEdit(), "Missing markers",
            "More values that mean a value is missing, comma-separated (empty, NA, N/A, NaN, "
            "null, ? and - always are).",
        )  # fmt: skip
        self._markers.setPlaceholderText("e.g. -999, unknown")
        _select(self._encoding, d.encoding)
        _select(self._delimiter, d.delimiter)
        _select(self._quote, d.quote)
        _select(self._decimal, d.decimal)
        self._header.setChecked(d.header)
        self._markers.setText(", ".join(d.missing))
        self._skip_lines = d.skip_lines
        cells = [
            ("&Encoding:", self._encoding), ("&Delimiter:", self._delimiter),
            ("&Quote:", self._quote), ("Decimal &mark:", self._decimal),
        ]  # fmt: skip
        for i, (text, widget) in enumerate(cells):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, i // 2, 2 * (i % 2))
            grid.addWidget(widget, i // 2, 2 * (i % 2) + 1)
            widget.currentIndexChanged.connect(self._read)
        markers = QLabel("Also &missing:")
        markers.setBuddy(self._markers)
        grid.addWidget(self._header, 2, 0, 1, 2)
        grid.addWidget(markers, 2, 2)
        grid.addWidget(self._markers, 2, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._header.toggled.connect(self._read)
        self._markers.editingFinished.connect(self._markers_edited)
        self._markers_read = self._markers.text()
        return box

    def _columns_group(self) -> QGroupBox:
        box = QGroupBox("Columns")
        layout = QVBoxLayout(box)
        self._columns = describe(
            QTableWidget(), "Columns",
            "Each column's kind and what it is for: an input of the network, a target it "
            "learns to predict, or ignored.",
        )  # fmt: skip
        self._columns.setColumnCount(5)
        self._columns.setHorizontalHeaderLabels(["Column", "Kind", "Missing", "Distinct", "Role"])
        self._columns.verticalHeader().hide()
        self._columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self._columns.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._columns.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self._columns)
        task_row = QHBoxLayout()
        self._task_combo = _combo(
            "Task", "What the network learns: Automatic classifies one label column "
            "(categories) and regresses numbers; choose Regression to learn number codes "
            "(a count) as numbers, Classification to learn them as classes.", TASK_TEXT,
        )  # fmt: skip
        _select(self._task_combo, self._given_task)
        self._task_combo.currentIndexChanged.connect(self._update)
        task_label = QLabel("Tas&k:")
        task_label.setBuddy(self._task_combo)
        self._task_note = QLabel()
        self._task_note.setAccessibleName("Task found")
        self._task_note.setWordWrap(True)
        task_row.addWidget(task_label)
        task_row.addWidget(self._task_combo)
        task_row.addWidget(self._task_note, 1)
        layout.addLayout(task_row)
        return box

    def _preview_group(self) -> QGroupBox:
        box = QGroupBox(f"The first {PREVIEW_ROWS} rows")
        layout = QVBoxLayout(box)
        self._preview = describe(
            QTableWidget(), "Preview", "The first rows as read with the settings above."
        )
        self._preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._preview.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self._preview)
        return box

    def _options_group(self, spec: CsvSpec | None) -> QGroupBox:
        box = QGroupBox("Rows")
        form = QFormLayout(box)
        self._policy = _combo(
            "Missing values", "What to do with a row missing a value in a column used (a row "
            "missing a target is always dropped).", POLICY_TEXT,
        )  # fmt: skip
        self._dropped = QLabel()
        self._dropped.setAccessibleName("Rows dropped")
        policy_row = QHBoxLayout()
        policy_row.addWidget(self._policy)
        policy_row.addWidget(self._dropped, 1)
        policy_label = QLabel("Missing &values:")
        policy_label.setBuddy(self._policy)
        form.addRow(policy_label, policy_row)
        self._shuffle = describe(
            QCheckBox("S&huffle the rows before the split, seed"), "Shuffle",
            "Files are often sorted (by class, by date): shuffling makes every part of the "
            "split alike. Off keeps the file's order (a time series).",
        )  # fmt: skip
        self._seed = int_spin(
            0, MAX_SEED, 0, name="Shuffle seed",
            tip=f"The seed of the shuffle (0 to {MAX_SEED:,}); it also seeds the weights.",
        )  # fmt: skip
        self._seed.setGroupSeparatorShown(False)
        shuffle_row = QHBoxLayout()
        shuffle_row.addWidget(self._shuffle)
        shuffle_row.addWidget(self._seed)
        shuffle_row.addStretch(1)
        form.addRow("Order:", shuffle_row)
        self._train, self._val = share_boxes("rows")
        self._sizes = QLabel()
        self._sizes.setAccessibleName("Split sizes")
        split_row = QHBoxLayout()
        for text, spin in (("T&raining", self._train), ("Val&idation", self._val)):
            label = QLabel(text)
            label.setBuddy(spin)
            split_row.addWidget(label)
            split_row.addWidget(spin)
        split_row.addWidget(self._sizes, 1)
        form.addRow("Split:", split_row)
        if spec is not None:
            _select(self._policy, spec.missing_policy)
            self._shuffle.setChecked(spec.shuffle)
            self._seed.setValue(min(spec.shuffle_seed, MAX_SEED))
            self._train.setValue(spec.train_ratio * 100)
            self._val.setValue(spec.val_ratio * 100)
        else:
            self._shuffle.setChecked(True)
        self._seed.setEnabled(self._shuffle.isChecked())
        self._shuffle.toggled.connect(self._seed.setEnabled)
        self._policy.currentIndexChanged.connect(self._update)
        for spin in (self._train, self._val):
            spin.valueChanged.connect(self._update)
        return box

    # ----- public API ---------------------------------------------------------------------
    def dialect(self) -> Dialect:
        """The reader settings shown; raises CsvError if they do not go together."""
        markers = tuple(m.strip() for m in self._markers.text().split(",") if m.strip())
        return Dialect(
            self._encoding.currentData(), self._delimiter.currentData(),
            self._quote.currentData(), self._decimal.currentData(), self._header.isChecked(),
            markers, self._skip_lines,
        )  # fmt: skip

    def roles(self) -> dict[str, str]:
        """The role of each column (input, target or ignore), in the file's order."""
        return dict(self._roles)

    def set_role(self, column: str, role: str) -> None:
        """Give ``column`` ``role`` (as choosing it in its combo does)."""
        combo = self.role_combo(column)
        at = combo.findData(role)
        if at < 0 or not self._item_enabled(combo, at):
            raise ValueError(f"column {column!r} cannot be {role}")
        combo.setCurrentIndex(at)

    def role_combo(self, column: str) -> QComboBox:
        """The role combo of ``column``."""
        for row in range(self._columns.rowCount()):
            item = self._columns.item(row, 0)
            if item is not None and item.text() == column:
                widget = self._columns.cellWidget(row, 4)
                assert isinstance(widget, QComboBox)
                return widget
        raise KeyError(column)

    def spec(self) -> CsvSpec:
        """The data set chosen; raises CsvError when it cannot be made (``problem`` says why)."""
        problem = self.problem()
        if problem:
            raise CsvError(problem)
        return self._spec()

    def problem(self) -> str:
        """Why the choices cannot make a data set yet ("" when they can)."""
        if self.table is None:
            return "the file is not read yet"
        if not chosen(self._roles, "target"):
            return "choose a target: the column the network learns to predict"
        if not chosen(self._roles, "input"):
            return "choose at least one input column"
        try:
            spec = self._spec()
        except CsvError as exc:
            return str(exc)
        task_problem = self._task_problem(spec)
        if task_problem:
            return task_problem
        n_train, n_val, n_test = split_counts(
            self.table.rows - self.dropped(), spec.train_ratio, spec.val_ratio
        )
        if min(n_train, n_test) < 1 or (spec.val_ratio > 0 and n_val < 1):
            return "too few rows are left to split into training and test rows"
        return ""

    def task(self) -> str:
        """The task the choices give: "classification" or "regression" ("" before a read)."""
        if self.table is None or not chosen(self._roles, "target"):
            return ""
        try:
            return table_task(self.table, self._spec())
        except CsvError:
            return ""

    def _task_problem(self, spec: CsvSpec) -> str:
        """Why the task cannot learn the targets chosen ("" when it can)."""
        assert self.table is not None
        task = table_task(self.table, spec)
        for name in spec.targets:
            c = self.table.column(name)
            if task == "regression" and c.kind == "categorical" and not c.numbers:
                return (
                    f"{name} holds categories, which are classified, not regressed: make it "
                    "the only target with the task Automatic or Classification"
                )
        if task == "classification" and len(spec.targets) == 1:
            try:
                label_classes(self.table, spec.targets[0])
            except CsvError as exc:
                return str(exc).removeprefix(f"{self.table.path}: ")
        return ""

    def dropped(self) -> int:
        """How many rows the missing-value policy drops with the roles chosen."""
        if self.table is None:
            return 0
        rows = incomplete_rows(
            self.table, chosen(self._roles, "input"), chosen(self._roles, "target"),
            self._policy.currentData(),
        )  # fmt: skip
        return int(rows.sum())

    def reading(self) -> bool:
        """Whether the file is being read."""
        return self._task is not None

    # ----- reading ------------------------------------------------------------------------
    def _markers_edited(self) -> None:
        if self._markers.text() != self._markers_read:
            self._markers_read = self._markers.text()
            self._read()

    def _read(self) -> None:
        """Read the file with the settings shown, in the background (a read under way is
        stopped: its table would be of settings no longer shown)."""
        self._stop_reading(quiet=True)
        try:
            dialect = self.dialect()
        except CsvError as exc:
            self._show_problem(f"These reader settings cannot be used: {exc}.")
            self._set_table(None)
            return
        path, size = self.path, self._size

        def work(report: Callable[[int], None], cancelled: Callable[[], bool]) -> Table:
            return cached_table(path, dialect, lambda n: report(n * 1000 // size), cancelled)

        task = BackgroundTask(work)
        # Bound methods of GUI-thread objects: the signals are queued to the GUI thread.
        task.progress.connect(self._progress.setValue)
        task.done.connect(self._on_read)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_stopped)
        self._task = task
        if reads_in_parallel(path, dialect):  # at full speed, with no progress on the way
            self._progress.setRange(0, 0)
        else:
            self._progress.setRange(0, 1000)
        self._progress.setValue(0)
        self._progress_row.show()
        self._problem.hide()
        self._use.setEnabled(False)
        thread = start_task(task)
        self._threads.append(thread)
        thread.finished.connect(lambda t=thread: self._threads.remove(t))

    def _stop_reading(self, quiet: bool = False) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._progress_row.hide()
        if not quiet:
            self._show_problem("Reading stopped: change a setting to read the file again.")
            self._set_table(None)

    def _finished_task(self) -> bool:
        """Whether the task reporting is the read of the settings shown (it is then over)."""
        if self.sender() is not self._task or self._task is None:
            return False  # a read of settings no longer shown
        self._task = None
        self._progress_row.hide()
        return True

    def _on_read(self, table: Table) -> None:
        if self._finished_task():
            self._set_table(table)

    def _on_failed(self, message: str) -> None:
        if self._finished_task():
            said = window_words(message.rstrip("."))
            self._show_problem(f"{said}. Change the settings above, or cancel.")
            self._set_table(None)

    def _on_stopped(self) -> None:
        self._finished_task()

    def _show_problem(self, text: str) -> None:
        self._problem.setText(text)
        self._problem.show()

    # ----- showing the table --------------------------------------------------------------
    def _set_table(self, table: Table | None) -> None:
        self.table = table
        self._fill_columns()
        self._fill_preview()
        self._update()

    def _fill_columns(self) -> None:
        table = self.table
        self._columns.setRowCount(0)
        if table is None:
            return
        if self._others_ignored:
            self._chosen = {c.name: self._chosen.get(c.name, "ignore") for c in table.columns}
            self._others_ignored = False
        self._roles = default_roles(table, self._chosen)
        self._columns.setRowCount(len(table.columns))
        for row, c in enumerate(table.columns):
            choice = role_choice(c)
            kind = c.kind + (f" ({c.distinct})" if c.kind == "categorical" else "")
            cells = [c.name, kind, f"{c.missing:,}", f"{c.distinct:,}"]
            for col, text in enumerate(cells):
                item = read_only_item(text, align_right=col >= 2)
                if choice.reason:
                    item.setToolTip(f"{c.name}: {choice.reason}")
                self._columns.setItem(row, col, item)
            combo = describe(
                QComboBox(), f"Role of {c.name}",
                f"What {c.name} is for" + (f" ({choice.reason})" if choice.reason else ""),
            )  # fmt: skip
            model = combo.model()
            for role in ROLES:
                combo.addItem(ROLE_TEXT[role], role)
                if role not in choice.roles and isinstance(model, QStandardItemModel):
                    item_ = model.item(combo.count() - 1)
                    item_.setEnabled(False)
                    item_.setToolTip(choice.reason)
            combo.setCurrentIndex(combo.findData(self._roles[c.name]))
            combo.currentIndexChanged.connect(
                lambda _i, n=c.name, box=combo: self._role_changed(n, box.currentData())
            )
            self._columns.setCellWidget(row, 4, combo)
        self._columns.resizeColumnsToContents()
        self._fit_columns_table()

    def _fit_columns_table(self) -> None:
        """Make the columns table wide enough for every column, the role lists whole."""
        table = self._columns
        roles = [table.cellWidget(r, 4) for r in range(table.rowCount())]
        role_width = max((w.sizeHint().width() for w in roles if w is not None), default=0)
        header = table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(4, role_width + 4)
        names = max(
            (table.fontMetrics().horizontalAdvance(item.text()) + 16
             for r in range(table.rowCount()) if (item := table.item(r, 0)) is not None),
            default=0,
        )  # fmt: skip
        others = sum(header.sectionSize(c) for c in (1, 2, 3, 4))
        bar = table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(min(names, 220) + others + bar + 2 * table.frameWidth() + 4)

    def _fill_preview(self) -> None:
        table = self.table
        self._preview.clear()
        if table is None:
            self._preview.setRowCount(0)
            self._preview.setColumnCount(0)
            return
        rows = min(PREVIEW_ROWS, table.rows)
        self._preview.setColumnCount(len(table.columns))
        self._preview.setRowCount(rows)
        self._show_preview_roles()
        for col, c in enumerate(table.columns):
            for row in range(rows):
                numeric = c.kind == "numeric"
                item = read_only_item(cell_text(c.values[row]), align_right=numeric)
                self._preview.setItem(row, col, item)
        self._preview.resizeColumnsToContents()

    def _show_preview_roles(self) -> None:
        if self.table is None:
            return
        self._preview.setHorizontalHeaderLabels(
            [f"{c.name}\n{self._roles.get(c.name, 'ignore')}" for c in self.table.columns]
        )

    def _role_changed(self, column: str, role: str) -> None:
        self._roles[column] = role
        self._chosen[column] = role
        self._show_preview_roles()
        self._update()

    def _update(self) -> None:
        """Show the rows dropped, the split sizes and whether the data can be used."""
        table = self.table
        if table is None:
            self._file.setText(f"<b>{os.path.basename(self.path)}</b>")
            self._dropped.setText("")
            self._sizes.setText("")
            self._use.setEnabled(False)
            return
        self._file.setText(
            f"<b>{os.path.basename(self.path)}</b>: {plural(table.rows, 'row')}, "
            f"{plural(len(table.columns), 'column')}"
        )
        dropped = self.dropped()
        self._dropped.setText(f"{plural(dropped, 'row')} dropped" if dropped else "no row dropped")
        n_train, n_val, n_test = split_counts(
            table.rows - dropped, self._train.value() / 100, self._val.value() / 100
        )
        self._sizes.setText(f"{n_train:,} train · {n_val:,} validation · {n_test:,} test")
        self._show_task()
        problem = self.problem()
        self._use.setEnabled(not problem)
        self._use.setToolTip(
            f"Cannot use the data yet: {problem}." if problem else "Train on these columns"
        )
        if problem:
            self._show_problem(f"Cannot use the data yet: {problem}.")
        else:
            self._problem.hide()

    def _show_task(self) -> None:
        """Say what the network will learn: which classes, or numbers."""
        task, table = self.task(), self.table
        targets = chosen(self._roles, "target")
        if not task or table is None:
            self._task_note.setText("")
        elif task == "classification":
            try:
                k = len(label_classes(table, targets[0]))
            except CsvError:
                self._task_note.setText("")
            else:
                self._task_note.setText(f"classifies {targets[0]} into {k:,} classes")
        else:
            self._task_note.setText(f"regresses {', '.join(targets)}")

    def _spec(self) -> CsvSpec:
        return CsvSpec(
            path=self.path, inputs=chosen(self._roles, "input"),
            targets=chosen(self._roles, "target"), dialect=self.dialect(),
            missing_policy=self._policy.currentData(), shuffle=self._shuffle.isChecked(),
            shuffle_seed=self._seed.value(), train_ratio=round(self._train.value() / 100, 4),
            val_ratio=round(self._val.value() / 100, 4), task=self._task_combo.currentData(),
        )  # fmt: skip

    @staticmethod
    def _item_enabled(combo: QComboBox, at: int) -> bool:
        model = combo.model()
        return not isinstance(model, QStandardItemModel) or model.item(at).isEnabled()

    # ----- closing ------------------------------------------------------------------------
    def accept(self) -> None:
        """Use Data: only with every number box holding what it shows (a refused entry, such
        as a training share of 100 %, is named and the dialog stays open)."""
        refused = refused_entries(self)
        if refused:
            box, why = refused[0]
            self._show_problem(f"Cannot use the data yet: {box.accessibleName()}: {why}")
            box.setFocus()
            return
        if self.problem():
            return
        super().accept()

    def done(self, result: int) -> None:
        """Close: a read under way is stopped and its thread joined first."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        for thread in list(self._threads):
            if shiboken6.isValid(thread):
                thread.quit()
                thread.wait()
        super().done(result)


if __name__ == "__main__":
    import sys

    from nngui.core.csv_dialect import sniff
    from nngui.core.examples import example_path
    from nngui.gui.widgets import run_preview

    file = sys.argv[1] if len(sys.argv) > 1 else example_path("iris.csv")
    run_preview(lambda: CsvImportDialog(file, sniff(file)), "CSV import preview")
