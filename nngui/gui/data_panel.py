"""The data panel: the data's source, its settings, and a summary of the Dataset.

The source is the article's formulas, one of TensorFlow Playground's sets or a CSV file. For
the formulas and the Playground sets (``PlaygroundSettings``) the panel edits the settings
itself; for a CSV file it shows the file, its columns' roles and split, and asks the window
(``open_csv_requested``, ``import_requested``) to open a file or the import view. The
panel binds to a Workbench: a finished edit of usable settings is a workbench edit (named
and undoable; the edits of one visit to a box merge into one step), and every change of the
workbench's data settings, whoever made it (an undo, a preset, an opened model), is shown.
Settings that cannot be used stay shown with the reason and change nothing until corrected.
Drawing the data is the core's job (``nngui.core.setup.build_dataset``), called by the window.
"""

from __future__ import annotations

import contextlib
import itertools
import os

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nngui.core.csv_dialect import DELIMITER_NAMES
from nngui.core.csv_source import CsvSpec
from nngui.core.data import INPUT_NAMES, MAX_SAMPLES, TARGETS, Dataset, DataSpec, DataSpecError
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.run_text import plural
from nngui.gui.number_box import FloatBox, IntBox
from nngui.gui.playground_settings import PlaygroundSettings
from nngui.gui.widgets import (
    FitTable,
    align_form_labels,
    describe,
    float_spin,
    hint_label,
    int_spin,
    run_preview,
    share_boxes,
)
from nngui.workbench import Settings, SettingsError, Workbench
from nngui.workbench.settings import DataSource

#: Bounds of every range box; the core takes any finite range, these keep the boxes readable.
RANGE_LIMIT = 1e9
RANGE_BOUNDS = f"from {-RANGE_LIMIT:,.0f} to {RANGE_LIMIT:,.0f}"
PREVIEW_ROWS = 8
PREVIEW_DECIMALS = 2  # enough to recognise the rows; narrow enough to show every column
MAX_SEED = 2**31 - 1  # QSpinBox holds a C int; DataSpec accepts up to 2**32 - 1


def target_tip(name: str, *, last: bool) -> str:
    """Tooltip of target ``name``'s check box; ``last``: it is the only target checked."""
    tip = f"Learn the formula {name} as one output."
    if last:
        tip += " It is the only target chosen and the network needs an output: check another "
        tip += "target first to drop this one."
    return tip


class DataPanel(QWidget):
    """Edit the data settings of ``workbench`` (its own one if None) and summarise the data."""

    #: The user edited a setting (never emitted when the workbench's settings are shown).
    changed = Signal()
    #: The user asks to open a CSV file (a file dialog, then the import view).
    open_csv_requested = Signal()
    #: The user asks to change how the CSV file shown is imported (the import view).
    import_requested = Signal()

    def __init__(self, workbench: Workbench | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench if workbench is not None else Workbench()
        self._target_order: list[str] = []
        self._visit = 0  # edits of one box merge until its edit is finished (Return, Tab)
        self._forms: list[QFormLayout] = []
        self._formulas = DataSpec()  # the formulas' settings last shown, for the source combo
        self._last_csv: CsvSpec | None = None  # … and the CSV file's
        self._playground = PlaygroundSpec(val_ratio=0.15)  # … and the Playground set's
        self._source_box = self._source_group()
        self._formula_groups = [self._inputs_group(), self._targets_group(), self._split_group()]
        self._playground_box = PlaygroundSettings()
        self._playground_box.edited.connect(self._playground_edited)
        self._forms.append(self._playground_box.form)
        self._settings = [self._source_box, *self._formula_groups, self._playground_box]
        layout = QVBoxLayout(self)
        for group in self._settings:
            layout.addWidget(group)
        layout.addWidget(self._summary_group())
        layout.addStretch(1)
        align_form_labels(*self._forms)
        self._tab_order()
        self._boxes: dict[str, IntBox | FloatBox] = {"samples": self._samples, "seed": self._seed}
        self._boxes |= {"noise": self._noise, "train": self._train, "val": self._val}
        for i, (low, high) in enumerate(zip(self._lows, self._highs, strict=True)):
            self._boxes |= {f"low {i}": low, f"high {i}": high}
        for name, box in self._boxes.items():
            box.valueChanged.connect(lambda _v, n=name: self._edited(n))
            box.editingFinished.connect(self._end_visit)
        self._show_source(self.workbench.settings.data)
        self._unsubscribe = self.workbench.subscribe(self._on_settings)
        self.destroyed.connect(lambda *_: self._unsubscribe())

    # ----- construction -------------------------------------------------------------------
    def _source_group(self) -> QGroupBox:
        box = QGroupBox("Source")
        form = QFormLayout(box)
        self._forms.append(form)
        self._source_form = form
        self._source = describe(
            QComboBox(), "Data source",
            "Where the data comes from: the article's formulas (a, b → a+b, a-b, |a-b|), "
            "one of TensorFlow Playground's sets (points of two classes in a plane) or the "
            "columns of a CSV file.",
        )  # fmt: skip
        self._source.addItem("The article's formulas", "formulas")
        self._source.addItem("Playground set", "playground")
        self._source.addItem("CSV file…", "csv")
        self._source.activated.connect(self._source_chosen)
        source_label = QLabel("Sou&rce:")
        source_label.setBuddy(self._source)
        form.addRow(source_label, self._source)
        self._csv_file = QLabel()
        self._csv_file.setAccessibleName("CSV file")
        self._csv_file.setWordWrap(True)
        form.addRow("File:", self._csv_file)
        self._csv_roles = QLabel()
        self._csv_roles.setAccessibleName("CSV columns")
        self._csv_roles.setWordWrap(True)
        form.addRow("Columns:", self._csv_roles)
        self._csv_rows = QLabel()
        self._csv_rows.setAccessibleName("CSV rows")
        self._csv_rows.setWordWrap(True)
        form.addRow("Rows:", self._csv_rows)
        buttons = QHBoxLayout()
        self._open_csv = describe(
            QPushButton("Open &CSV…"), "Open CSV",
            "Train on the columns of a CSV file (File ▸ Open Data…).",
        )  # fmt: skip
        self._open_csv.clicked.connect(self.open_csv_requested)
        self._edit_import = describe(
            QPushButton("&Import Settings…"), "Import settings",
            "Change how the file is read, the role of each column, the missing values, the "
            "shuffle and the split.",
        )  # fmt: skip
        self._edit_import.clicked.connect(self.import_requested)
        buttons.addWidget(self._open_csv)
        buttons.addWidget(self._edit_import)
        buttons.addStretch(1)
        form.addRow(buttons)
        self._csv_rows_widgets = [self._csv_file, self._csv_roles, self._csv_rows]
        return box

    def _inputs_group(self) -> QGroupBox:
        box = QGroupBox("Inputs")
        form = QFormLayout(box)
        self._forms.append(form)
        self._samples = int_spin(
            10, MAX_SAMPLES, 10_000, name="Samples",
            tip=f"How many (a, b) pairs to draw (10 to {MAX_SAMPLES:,}), before splitting "
            "into train, validation and test.",
        )  # fmt: skip
        form.addRow("Sam&ples:", self._samples)
        self._lows: list[FloatBox] = []
        self._highs: list[FloatBox] = []
        for name in INPUT_NAMES:
            form.addRow(f"Range of {name}:", self._range_row(name))
        self._seed = int_spin(
            0, MAX_SEED, 42, name="Seed",
            tip=f"Random seed from 0 to {MAX_SEED:,}: the same seed draws the same data (and "
            "the same initial weights).",
        )  # fmt: skip
        self._seed.setGroupSeparatorShown(False)
        form.addRow("Rando&m seed:", self._seed)
        return box

    def _range_row(self, name: str) -> QWidget:
        low = float_spin(
            -RANGE_LIMIT, RANGE_LIMIT, 0.0, name=f"Lowest {name}",
            tip=f"Smallest value of input {name}, {RANGE_BOUNDS}; {name} is drawn uniformly "
            "from [lowest, highest), so it must be below the highest value.",
        )  # fmt: skip
        high = float_spin(
            -RANGE_LIMIT, RANGE_LIMIT, 100.0, name=f"Highest {name}",
            tip=f"Upper end of input {name}'s range, {RANGE_BOUNDS}; it must be above the "
            "lowest value.",
        )  # fmt: skip
        for spin in (low, high):
            spin.setMinimumWidth(90)
        self._lows.append(low)
        self._highs.append(high)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(low, 1)
        h.addWidget(QLabel("to"))
        h.addWidget(high, 1)
        return row

    def _targets_group(self) -> QGroupBox:
        box = QGroupBox("Targets")
        layout = QVBoxLayout(box)
        grid = QGridLayout()
        self._checks: dict[str, QCheckBox] = {}
        for i, name in enumerate(TARGETS):
            check = describe(QCheckBox(name), f"Target {name}", target_tip(name, last=False))
            check.toggled.connect(lambda on, n=name: self._target_toggled(n, on))
            grid.addWidget(check, i // 3, i % 3)
            self._checks[name] = check
        layout.addLayout(grid)
        form = QFormLayout()
        self._forms.append(form)
        self._noise = float_spin(
            0.0, 1e6, 0.0, name="Noise", step=0.1,
            tip="Standard deviation of Gaussian noise added to every target (original units), "
            "from 0 to 1,000,000.",
        )  # fmt: skip
        self._noise.setSpecialValueText("None")
        form.addRow("&Noise (std):", self._noise)
        layout.addLayout(form)
        return box

    def _split_group(self) -> QGroupBox:
        box = QGroupBox("Split")
        form = QFormLayout(box)
        self._forms.append(form)
        self._train, self._val = share_boxes("samples")
        form.addRow("Tr&aining:", self._train)
        form.addRow("Val&idation:", self._val)
        self._sizes = QLabel()
        self._sizes.setAccessibleName("Split sizes")
        self._sizes.setWordWrap(True)
        form.addRow("Sizes:", self._sizes)
        self._split_hint = hint_label()
        self._split_hint.setAccessibleName("Data settings problem")
        self._split_hint.hide()
        form.addRow(self._split_hint)
        return box

    def _summary_group(self) -> QGroupBox:
        box = QGroupBox("Generated data")
        self._summary = box
        layout = QVBoxLayout(box)
        self._counts = hint_label("Not generated yet.", warning=False)
        self._counts.setAccessibleName("Generated data counts")
        layout.addWidget(self._counts)
        self._scalers = describe(
            FitTable(), "Train-set scalers",
            "Mean and standard deviation of each column over the training split: the network "
            "sees (value - mean) / std.",
        )  # fmt: skip
        self._scalers.verticalHeader().hide()
        layout.addWidget(self._scalers)
        self._preview = describe(
            FitTable(min_column=76), "Preview",
            f"The first {PREVIEW_ROWS} rows of the training split, in original units "
            f"(rounded to {PREVIEW_DECIMALS} decimals).",
        )  # fmt: skip
        layout.addWidget(self._preview)
        self._scalers.hide()
        self._preview.hide()
        return box

    def _tab_order(self) -> None:
        chain: list[QWidget] = [self._samples]
        for low, high in zip(self._lows, self._highs, strict=True):
            chain += [low, high]
        chain += [self._seed, *self._checks.values(), self._noise, self._train, self._val]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ----- public API ---------------------------------------------------------------------
    def spec(self) -> DataSpec:
        """The current settings as a DataSpec; raises DataSpecError if they are unusable."""
        return DataSpec(
            samples=self._samples.value(),
            ranges=self._ranges(),
            targets=tuple(self._target_order),
            noise=self._noise.value(),
            train_ratio=round(self._train.value() / 100, 4),
            val_ratio=round(self._val.value() / 100, 4),
            seed=self._seed.value(),
        )

    def _show_spec(self, spec: DataSpec) -> None:
        """Show ``spec`` in the widgets without emitting ``changed``."""
        widgets: list[QWidget] = [self._samples, self._seed, self._noise, self._train, self._val]
        widgets += [*self._lows, *self._highs, *self._checks.values()]
        blockers = [QSignalBlocker(w) for w in widgets]
        self._samples.setValue(spec.samples)
        self._seed.setValue(min(spec.seed, MAX_SEED))
        for (lo, hi), low, high in zip(spec.ranges, self._lows, self._highs, strict=True):
            low.setValue(lo)
            high.setValue(hi)
        self._target_order = [t for t in spec.targets if t in self._checks]
        for name, check in self._checks.items():
            check.setChecked(name in self._target_order)
        self._noise.setValue(spec.noise)
        self._train.setValue(spec.train_ratio * 100)
        self._val.setValue(spec.val_ratio * 100)
        for blocker in blockers:
            blocker.unblock()
        self._lock_last_target()
        self._show_split()

    def show_dataset(self, ds: Dataset) -> None:
        """Summarise ``ds``: split counts, train-set scalers and the first training rows (and
        for a CSV file the rows used and dropped)."""
        n_val = len(ds.val) if ds.val is not None else 0
        self._counts.setText(
            f"{len(ds.train):,} training · {n_val:,} validation · {len(ds.test):,} test samples"
        )
        csv = isinstance(ds.spec, CsvSpec)
        self._summary.setTitle("Data read" if csv else "Generated data")
        if ds.task == "classification":
            counts = [int((ds.train.y[:, 0] == k).sum()) for k in range(len(ds.classes))]
            shares = ", ".join(f"{name} {n:,}" for name, n in zip(ds.classes, counts, strict=True))
            self._counts.setText(f"{self._counts.text()}\nTraining classes: {shares}")
        if isinstance(ds.spec, CsvSpec):
            used = ds.rows
            dropped = ds.dropped
            left_out = f"; {plural(dropped, 'row')} dropped for missing values" if dropped else ""
            order = (
                f"shuffled (seed {ds.spec.shuffle_seed})" if ds.spec.shuffle else "in file order"
            )
            self._csv_rows.setText(f"{used:,} used, {order}{left_out}")
        self._show_scalers(ds)
        self._show_preview(ds)

    def _show_source(self, data: DataSource) -> None:
        """Show where the data comes from, and the settings of that source."""
        csv = isinstance(data, CsvSpec)
        playground = isinstance(data, PlaygroundSpec)
        with QSignalBlocker(self._source):
            self._source.setCurrentIndex(2 if csv else 1 if playground else 0)
        for widget in self._csv_rows_widgets:
            self._source_form.setRowVisible(widget, csv)
        self._edit_import.setVisible(csv)
        for group in self._formula_groups:
            group.setVisible(not (csv or playground))
        self._playground_box.setVisible(playground)
        if isinstance(data, CsvSpec):
            self._last_csv = data
            d = data.dialect
            how = f"{DELIMITER_NAMES[d.delimiter]}-separated, decimal {d.decimal!r}, {d.encoding}"
            self._csv_file.setText(f"<b>{os.path.basename(data.path)}</b> ({how})")
            self._csv_file.setToolTip(data.path)
            inputs = ", ".join(data.inputs) or "every usable column"
            self._csv_roles.setText(f"{', '.join(data.targets)} from {inputs}")
        elif isinstance(data, PlaygroundSpec):
            self._playground = data
            self._playground_box.show_spec(data)
        else:
            self._formulas = data
            self._show_spec(data)

    def _source_chosen(self, index: int) -> None:
        """The source combo: the formulas' or the Playground set's settings shown last, or a
        CSV file (the one shown last if any, else the window asks for one)."""
        data = self.workbench.settings.data
        wanted = self._source.itemData(index)
        self._show_source(data)  # the combo follows the workbench, not the click
        if wanted == "formulas" and not isinstance(data, DataSpec):
            self._use(self._formulas)
        elif wanted == "playground" and not isinstance(data, PlaygroundSpec):
            self._use(self._playground)
        elif wanted == "csv" and not isinstance(data, CsvSpec):
            if self._last_csv is not None:
                self._use(self._last_csv)
            else:
                self.open_csv_requested.emit()

    def _use(self, data: DataSource) -> None:
        try:
            self.workbench.set_data_spec(data)
        except (ValueError, OSError) as exc:  # a file gone or changed, settings refused
            self._csv_rows.setText(f"Cannot use it: {exc}")
            self._source_form.setRowVisible(self._csv_rows, True)
            return
        self.changed.emit()

    def set_editable(self, on: bool) -> None:
        """Allow or forbid editing the settings (forbidden while training)."""
        for group in self._settings:
            group.setEnabled(on)

    # ----- summary tables -----------------------------------------------------------------
    def _show_scalers(self, ds: Dataset) -> None:
        classifier = ds.task == "classification"  # its classes are learnt as they are
        names = [*ds.input_names, *([] if classifier else ds.output_names)]
        mean = [*ds.x_scaler.mean, *([] if classifier else ds.y_scaler.mean)]
        std = [*ds.x_scaler.std, *([] if classifier else ds.y_scaler.std)]
        rows = [[n, f"{m:,.4f}", f"{s:,.4f}"] for n, m, s in zip(names, mean, std, strict=True)]
        self._scalers.fill(["Column", "Train mean", "Train std"], rows, right_from=1)
        self._scalers.show()

    def _show_preview(self, ds: Dataset) -> None:
        n = min(PREVIEW_ROWS, len(ds.train))
        x, y = ds.train.x[:n], ds.train.y[:n]
        if ds.task == "classification":
            index = y[:, 0].astype(int) if y.shape[1] == 1 else np.argmax(y, axis=1)
            targets = [[ds.classes[k]] for k in index]
        else:
            targets = [[f"{v:.{PREVIEW_DECIMALS}f}" for v in row] for row in y]
        rows = [[f"{v:.{PREVIEW_DECIMALS}f}" for v in x[r]] + targets[r] for r in range(n)]
        self._preview.fill([*ds.input_names, *ds.output_names], rows)
        self._preview.shrink_columns_to_contents()
        self._preview.show()

    # ----- binding ------------------------------------------------------------------------
    def _on_settings(self, old: Settings, new: Settings) -> None:
        """Show the workbench's data settings when they changed and differ from those shown."""
        if old.data == new.data:
            return
        if isinstance(new.data, PlaygroundSpec):
            try:
                same = self._playground_box.spec() == new.data
            except DataSpecError:
                same = False
            if not (same and isinstance(old.data, PlaygroundSpec)):
                self._show_source(new.data)
            return
        if not isinstance(new.data, DataSpec) or not isinstance(old.data, DataSpec):
            self._show_source(new.data)
            return
        try:
            shown: DataSpec | None = self.spec()
        except DataSpecError:
            shown = None
        if shown != new.data:
            self._show_source(new.data)

    def _commit(self, key: object) -> None:
        """Make the settings shown the workbench's, if they can be used (else say why)."""
        self._show_split()
        try:
            spec = self.spec()
        except DataSpecError:
            return  # the split hint says why; the workbench keeps its usable settings
        try:
            self.workbench.set_data_spec(spec, merge_key=key)
        except (DataSpecError, SettingsError) as exc:
            self._split_hint.setText(f"These settings cannot be used: {exc}.")
            self._split_hint.show()

    def _playground_edited(self, key: object) -> None:
        """Make the Playground settings shown the workbench's (the group checked them)."""
        try:
            spec = self._playground_box.spec()
            self.workbench.set_data_spec(spec, merge_key=key)
        except (DataSpecError, SettingsError) as exc:
            self._playground_box.show_problem(f"These settings cannot be used: {exc}.")
            return
        self._playground = spec
        self.changed.emit()

    # ----- reactions to edits -------------------------------------------------------------
    def _edited(self, box: str) -> None:
        self._commit(("data", box, self._visit))
        self.changed.emit()

    def _end_visit(self) -> None:
        self._visit += 1

    def _ranges(self) -> tuple[tuple[float, float], ...]:
        """The (lowest, highest) pair of each input; raises DataSpecError unless low < high.

        The boxes are not bound to each other, so a whole range can be moved past its old
        other end (typing lowest 250 before highest 300); the pair is checked here instead.
        """
        ranges = []
        for name, low, high in zip(INPUT_NAMES, self._lows, self._highs, strict=True):
            if not low.value() < high.value():
                raise DataSpecError(f"the lowest {name} must be below the highest {name}")
            ranges.append((low.value(), high.value()))
        return tuple(ranges)

    def _target_toggled(self, name: str, on: bool) -> None:
        if on:
            if name not in self._target_order:
                self._insert_target(name)
        elif self._target_order == [name]:  # the box is disabled; refuse other ways too
            with QSignalBlocker(self._checks[name]):
                self._checks[name].setChecked(True)
            return
        else:
            self._target_order.remove(name)
        self._lock_last_target()
        self._commit(None)
        self.changed.emit()

    def _insert_target(self, name: str) -> None:
        """Add ``name`` to the outputs where its box is: before the first chosen target whose
        box comes after it (so a+b, a-b, |a-b| unchecked and checked again keep their order)."""
        boxes = list(self._checks)
        later = [t for t in self._target_order if boxes.index(t) > boxes.index(name)]
        at = self._target_order.index(later[0]) if later else len(self._target_order)
        self._target_order.insert(at, name)

    def _lock_last_target(self) -> None:
        """Disable the box of the only checked target (its tooltip says why), enable the rest."""
        last = self._target_order[0] if len(self._target_order) == 1 else None
        for name, check in self._checks.items():
            check.setEnabled(name != last)
            check.setToolTip(target_tip(name, last=name == last))

    def _show_split(self) -> None:
        """Show the split sizes the settings give, or why they cannot be used."""
        try:
            n_train, n_val, n_test = self.spec().split_sizes()
        except DataSpecError as exc:
            self._sizes.setText("—")
            self._split_hint.setText(f"These settings cannot be used: {exc}.")
            self._split_hint.show()
            return
        self._split_hint.hide()
        self._sizes.setText(f"{n_train:,} train · {n_val:,} validation · {n_test:,} test")


if __name__ == "__main__":

    def _make() -> DataPanel:
        from nngui.core.setup import build_dataset

        panel = DataPanel()

        def regenerate(*_: object) -> None:
            with contextlib.suppress(DataSpecError):  # the panel already shows why
                panel.show_dataset(build_dataset(panel.workbench.settings.data))

        panel.workbench.subscribe(regenerate)
        regenerate()
        return panel

    run_preview(_make, "Data panel preview")
