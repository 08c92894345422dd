"""The predict panel: type inputs, read the network's outputs beside the true formula's.

The panel holds a plain ``predict`` callable (raw inputs → outputs in original units) given by
the main window; it never touches a live network, so it can be refreshed with each new weight
snapshot while training runs. It follows the data's columns: a number box per numeric input
and a drop-down list per categorical one (its categories, one-hot encoded for the network),
in a grid that scrolls when a file has many; the fields start at the training medians (the
most frequent category), the formulas' at the article's example.

For a classifier (``set_classifier``) the outputs table gives way to the predicted class (the
most probable one) and a bar per class showing its probability, from a second callable that
gives class probabilities (n, K) for raw inputs (``class_probabilities`` makes it of a Model).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nngui.core.classification import Classes
from nngui.core.data import INPUT_NAMES, SEED_TARGETS, TARGETS, InputColumn, true_outputs
from nngui.core.model import Model
from nngui.gui.class_colours import class_qcolours
from nngui.gui.number_box import FloatBox
from nngui.gui.widgets import FitTable, describe, float_spin, hint_label, run_preview

Predictor = Callable[[np.ndarray], np.ndarray]
INPUT_LIMIT = 1e6
#: Input fields shown at once; more scroll.
MAX_ROWS_SHOWN = 5
#: Inputs outside their training range named in the note before it just counts them.
NAMED_OUTSIDE = 2
DEFAULT_INPUTS = {"a": 30.0, "b": 70.0}  # the article's example
NO_VALUE = "—"
HEADERS = ["Output", "Predicted", "True", "Abs. error"]
#: A probability bar's steps (0 … 1 in thousandths).
BAR_STEPS = 1000
#: Probability bars per column, and columns at most; more classes scroll.
BARS_PER_COLUMN = 5
BAR_COLUMNS = 2


def class_probabilities(model: Model) -> Predictor | None:
    """For a classifier: raw inputs (n, n_inputs) → class probabilities (n, K), in the order
    of ``model.classes`` (two classes: 1 − p and p of the one sigmoid output). None for a
    regression model."""
    if model.task != "classification" or len(model.classes) < 2:
        return None
    classes = Classes(tuple(model.classes))

    def probabilities(x: np.ndarray) -> np.ndarray:
        return classes.class_probabilities(np.asarray(model.predict(x), dtype=np.float64))

    return probabilities


def probability_text(name: str, p: float | None) -> str:
    """A probability bar's text: "p(setosa) = 0.930" (nan spelt out; None, no model: "—")."""
    if p is None:
        return f"p({name}) = {NO_VALUE}"
    return f"p({name}) = {p:.3f}" if np.isfinite(p) else f"p({name}) = {p}"


def format_value(v: float) -> str:
    """A number for the table: four decimals with thousands grouping (nan and inf spelt out)."""
    return f"{v:,.4f}" if np.isfinite(v) else str(v)


class InputField:
    """One input column's field: a number box, or a drop-down list of its categories."""

    def __init__(self, column: InputColumn, start: Sequence[float]) -> None:
        self.column = column
        self.widget: FloatBox | QComboBox
        name = column.name
        if column.kind == "categorical":
            box = describe(
                QComboBox(), f"Input {name}",
                f"Category of input {name}; the outputs update as you choose.",
            )  # fmt: skip
            box.addItems(list(column.categories))
            self.widget = box
        else:
            self.widget = float_spin(
                -INPUT_LIMIT, INPUT_LIMIT, 0.0, name=f"Input {name}", step=1.0, live=True,
                tip=f"Value of input {name}; the outputs update as you type.",
            )  # fmt: skip
            # At least wide enough for the longest value, however narrow the column gets.
            self.widget.setMinimumWidth(self.widget.sizeHint().width())
        self.set_encoded(start)

    @property
    def width(self) -> int:
        """How many network inputs it gives (one per category when categorical)."""
        return len(self.column.encoded_names)

    def encoded(self) -> list[float]:
        """Its value as the network takes it."""
        if isinstance(self.widget, QComboBox):
            codes = [0.0] * self.width
            codes[self.widget.currentIndex()] = 1.0
            return codes
        return [self.widget.value()]

    def set_encoded(self, values: Sequence[float]) -> None:
        """Show ``values`` (the encoded inputs; the largest code chooses the category)."""
        with QSignalBlocker(self.widget):
            if isinstance(self.widget, QComboBox):
                self.widget.setCurrentIndex(int(np.argmax(values)) if len(values) else 0)
            else:
                self.widget.setValue(float(values[0]))

    def connect(self, slot: Callable[[], None]) -> None:
        """Call ``slot`` when the user changes the value."""
        if isinstance(self.widget, QComboBox):
            self.widget.currentIndexChanged.connect(lambda _i: slot())
        else:
            self.widget.valueChanged.connect(lambda _v: slot())


class PredictPanel(QWidget):
    """Try the network on chosen inputs and compare it with the target formulas."""

    #: The user changed an input (its value: ``inputs()``).
    inputs_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._input_names: list[str] = []
        self._columns: tuple[InputColumn, ...] = ()
        self._output_names: list[str] = []
        self._predict: Predictor | None = None
        self._classes: tuple[str, ...] = ()  # empty: a regression, the outputs table
        self._probabilities: Predictor | None = None
        self._bars: list[QProgressBar] = []
        self._ranges: list[tuple[float, float]] | None = None
        self._starts: np.ndarray | None = None  # the training medians (modes) of the inputs
        self._fields: list[InputField] = []
        # Inputs beside outputs: the panel stays short, leaving the height to the plots above.
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self._inputs_box = QGroupBox("Inputs")
        box_layout = QVBoxLayout(self._inputs_box)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        grid_holder = QWidget()
        self._grid = QGridLayout(grid_holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._scroll.setWidget(grid_holder)
        box_layout.addWidget(self._scroll)
        left.addWidget(self._inputs_box)
        self._extrapolation = describe(
            hint_label(keep_height=True), "Extrapolation note",
            "Networks are only reliable inside the range they were trained on.",
        )  # fmt: skip
        self._extrapolation.hide()
        left.addWidget(self._extrapolation)
        left.addStretch(1)
        layout.addLayout(left, 2)
        outputs = QGroupBox("Outputs")
        box = QVBoxLayout(outputs)
        self._table = describe(
            FitTable(min_column=76), "Predictions",
            "Per output: the network's prediction, the formula's true value and their "
            "absolute difference (original units).",
        )  # fmt: skip
        self._table.verticalHeader().hide()
        box.addWidget(self._table)
        self._predicted = describe(
            hint_label(warning=False, keep_height=True), "Predicted class",
            "The class the network predicts for these inputs: the most probable one.",
        )  # fmt: skip
        self._predicted.setForegroundRole(QPalette.ColorRole.WindowText)  # not a quiet note
        self._predicted.hide()
        box.addWidget(self._predicted)
        self._bars_scroll = QScrollArea()
        self._bars_scroll.setWidgetResizable(True)
        self._bars_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._bars_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bars_holder = QWidget()
        self._bars_grid = QGridLayout(bars_holder)
        self._bars_grid.setContentsMargins(0, 0, 0, 0)
        self._bars_scroll.setWidget(bars_holder)
        self._bars_scroll.hide()
        box.addWidget(self._bars_scroll)
        self._status = hint_label(warning=False)
        self._status.setAccessibleName("Prediction status")
        box.addWidget(self._status)
        box.addStretch(1)
        layout.addWidget(outputs, 5)
        self.set_predictor(list(INPUT_NAMES), list(SEED_TARGETS), None)

    # ----- public API ---------------------------------------------------------------------
    def set_predictor(
        self, input_names: list[str], output_names: list[str], predict: Predictor | None,
        columns: Sequence[InputColumn] = (),
    ) -> None:  # fmt: skip
        """Use ``predict`` (raw inputs (n, n_inputs) → outputs (n, n_outputs), original units).

        ``columns`` say how the data's columns give the inputs (a categorical one gives one
        per category); without them every input is a number. None means there is no model
        yet: predictions show "—". Call again to refresh with new weights; the typed inputs
        are kept while the inputs stay the same.

        It forgets the classifier's probabilities (they belong to the old weights): for a
        classifier call ``set_classifier`` after it, with every new predictor.
        """
        columns = tuple(columns) or tuple(InputColumn(n) for n in input_names)
        if list(input_names) != self._input_names or columns != self._columns:
            self._build_inputs(list(input_names), columns)
        self._output_names = list(output_names)
        self._predict = predict
        self._probabilities = None
        self._update()

    def set_classifier(
        self, classes: Sequence[str] | None, probabilities: Predictor | None
    ) -> None:
        """Show the network as a classifier of ``classes``: the predicted class and one bar
        per class with its probability, from ``probabilities`` (raw inputs (n, n_inputs) →
        class probabilities (n, K), in the order of ``classes``; ``class_probabilities``
        makes it of a Model). None (or no classes): a regression, the outputs table. None
        for ``probabilities`` with classes: no model yet, the bars show "—".

        Call it after ``set_predictor`` (which forgets the probabilities), with the same
        inputs; the bars are rebuilt only when the classes change.
        """
        classes = tuple(classes or ())
        if classes != self._classes:
            self._build_bars(classes)
        self._probabilities = probabilities if classes else None
        self._update()

    def classes(self) -> tuple[str, ...]:
        """The classes shown as bars (empty: a regression)."""
        return self._classes

    def probabilities(self) -> np.ndarray | None:
        """The class probabilities for the typed inputs (K,), None without a classifier."""
        if not self._classes or self._probabilities is None:
            return None
        with np.errstate(all="ignore"):  # diverged weights: NaN, an honest answer
            p = np.asarray(self._probabilities(self.inputs()[None, :]), dtype=np.float64)
        return p.reshape(-1)[: len(self._classes)]

    def predicted_class(self) -> str | None:
        """The class shown as predicted (None: no classifier, no model or no finite
        probability)."""
        return self._best(self.probabilities())

    def _best(self, p: np.ndarray | None) -> str | None:
        """The most probable class of ``p`` (NaN never wins; None if none is finite)."""
        if p is None or not np.isfinite(p).any():
            return None
        return self._classes[int(np.argmax(np.nan_to_num(p, nan=-1.0)))]

    def probability_bar(self, name: str) -> QProgressBar:
        """The probability bar of class ``name``."""
        return self._bars[self._classes.index(name)]

    def set_training_ranges(self, ranges: Sequence[tuple[float, float]] | None) -> None:
        """The (low, high) range of each input seen in training, to flag extrapolation."""
        self._ranges = None if ranges is None else [(float(lo), float(hi)) for lo, hi in ranges]
        self._update()

    def set_training_inputs(self, x: np.ndarray | None, starts: np.ndarray | None = None) -> None:
        """The training split's raw inputs: their ranges flag extrapolation, and fields built
        from now on start at ``starts`` (default: their medians)."""
        if x is None or len(x) == 0:
            self._starts = None
            self.set_training_ranges(None)
            return
        self._starts = np.median(x, axis=0) if starts is None else np.asarray(starts)
        self.set_training_ranges(list(zip(x.min(axis=0), x.max(axis=0), strict=True)))

    def inputs(self) -> np.ndarray:
        """The typed inputs as the network takes them, shape (n_inputs,)."""
        values = [v for field in self._fields for v in field.encoded()]
        return np.array(values, dtype=np.float64)

    def set_inputs(self, values: Sequence[float]) -> None:
        """Type ``values`` (as the network takes them) into the fields; updates the
        predictions once."""
        values = list(values)
        if len(values) != sum(field.width for field in self._fields):
            raise ValueError(f"expected {len(self._input_names)} inputs, got {len(values)}")
        at = 0
        for field in self._fields:
            field.set_encoded(values[at : at + field.width])
            at += field.width
        self._update()

    def field(self, column: str) -> QWidget:
        """The field of input column ``column`` (a number box or a drop-down list)."""
        for f in self._fields:
            if f.column.name == column:
                return f.widget
        raise KeyError(column)

    def outputs_text(self) -> list[str]:
        """The predicted-value column as shown, one string per output."""
        texts = []
        for r in range(self._table.rowCount()):
            item = self._table.item(r, 1)
            assert item is not None  # fill sets every cell
            texts.append(item.text())
        return texts

    def table(self) -> FitTable:
        """The outputs table (columns: output, predicted, true, absolute error)."""
        return self._table

    # ----- internals ----------------------------------------------------------------------
    def _build_inputs(self, names: list[str], columns: tuple[InputColumn, ...]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._fields = []
        self._labels: list[QLabel] = []
        starts = self._starts
        if starts is None or len(starts) != len(names) or names == list(INPUT_NAMES):
            starts = None  # the formulas start at the article's example
        at = 0
        per_row = 1  # beside the outputs there is room for one column of fields
        for i, column in enumerate(columns):
            width = len(column.encoded_names)
            if starts is not None:  # (to six digits: 1.425, not float32's 1.42499995)
                start = [float(f"{v:.6g}") for v in starts[at : at + width]]
            else:
                start = [DEFAULT_INPUTS.get(column.name, 0.0)]
            at += width
            field = InputField(column, start)
            field.connect(self._edited)
            label = QLabel(f"{column.name}:")
            label.setBuddy(field.widget)
            self._labels.append(label)
            row, col = divmod(i, per_row)
            self._grid.addWidget(label, row, 2 * col)
            self._grid.addWidget(field.widget, row, 2 * col + 1)
            self._fields.append(field)
        for col in range(per_row):
            self._grid.setColumnStretch(2 * col + 1, 1)
        for first, second in itertools.pairwise(f.widget for f in self._fields):
            QWidget.setTabOrder(first, second)
        self._input_names = names
        self._columns = columns
        self._fit_scroll_height(per_row)

    def _fit_scroll_height(self, per_row: int) -> None:
        """Show up to MAX_ROWS_SHOWN rows of fields; more scroll."""
        rows = -(-len(self._fields) // per_row)
        shown = min(rows, MAX_ROWS_SHOWN)
        self._grid.invalidate()
        spacing = max(self._grid.verticalSpacing(), 0)
        tallest = max((f.widget.sizeHint().height() for f in self._fields), default=0)
        height = shown * (tallest + spacing)
        bar = self._scroll.verticalScrollBar().sizeHint().width() if rows > shown else 0
        # (From the fields' own sizes: those just added are not shown yet, and a layout
        # leaves hidden widgets out of its minimum.)
        label_width = max((label.sizeHint().width() for label in self._labels), default=0)
        field_width = max(
            (
                max(f.widget.minimumWidth(), f.widget.minimumSizeHint().width())
                for f in self._fields
            ),
            default=0,
        )
        spacing_h = max(self._grid.horizontalSpacing(), 0)
        self._scroll.setMinimumWidth(label_width + spacing_h + field_width + bar)
        self._scroll.setMinimumHeight(height)
        self._scroll.setMaximumHeight(height if rows > shown else 16_777_215)

    def _edited(self) -> None:
        self._update()
        self.inputs_changed.emit()

    def _predictions(self, x: np.ndarray) -> np.ndarray | None:
        if self._predict is None:
            return None
        y = np.asarray(self._predict(x[None, :]), dtype=np.float64)
        return y.reshape(-1)[: len(self._output_names)]

    def _formulas(self) -> bool:
        """Whether the outputs are the article's formulas of its inputs (truth is known)."""
        return self._input_names == list(INPUT_NAMES) and all(
            n in TARGETS for n in self._output_names
        )

    def _truth(self, x: np.ndarray) -> np.ndarray | None:
        if not self._formulas() or not self._output_names:
            return None
        return true_outputs(x[None, :], tuple(self._output_names))[0]

    def _build_bars(self, classes: tuple[str, ...]) -> None:
        """One probability bar per class, in columns of BARS_PER_COLUMN (BAR_COLUMNS at
        most, then the bars scroll)."""
        for bar in self._bars:
            self._bars_grid.removeWidget(bar)
            bar.setParent(None)  # gone from the panel now, deleted later
            bar.deleteLater()
        self._bars = []
        columns = min(BAR_COLUMNS, max(1, -(-len(classes) // BARS_PER_COLUMN)))
        rows = -(-len(classes) // columns) if classes else 0
        colours = class_qcolours(classes) if classes else []
        for i, name in enumerate(classes):
            bar = describe(
                QProgressBar(), f"Probability of {name}",
                f"The probability the network gives class {name} for these inputs.",
            )  # fmt: skip
            bar.setRange(0, BAR_STEPS)
            bar.setTextVisible(True)
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setFixedHeight(bar.fontMetrics().height() + 6)  # compact: the plots need height
            palette = bar.palette()  # the class's colour, as the decision map draws it
            palette.setColor(QPalette.ColorRole.Highlight, colours[i])
            bar.setPalette(palette)
            column, row = divmod(i, rows)
            self._bars_grid.addWidget(bar, row, column)
            self._bars.append(bar)
        for column in range(BAR_COLUMNS):
            self._bars_grid.setColumnStretch(column, 1 if column < columns else 0)
        self._classes = classes
        tallest = max((bar.sizeHint().height() for bar in self._bars), default=0)
        spacing = max(self._bars_grid.verticalSpacing(), 0)
        shown = min(rows, BARS_PER_COLUMN)
        height = shown * tallest + max(shown - 1, 0) * spacing
        self._bars_scroll.setMinimumHeight(height)
        self._bars_scroll.setMaximumHeight(height if rows > shown else 16_777_215)

    def _show_probabilities(self) -> None:
        """The predicted class and every class's bar, for the typed inputs."""
        p = self.probabilities()
        best = self._best(p)
        for i, (name, bar) in enumerate(zip(self._classes, self._bars, strict=True)):
            value = None if p is None else float(p[i])
            steps = 0 if value is None or not np.isfinite(value) else value * BAR_STEPS
            bar.setValue(round(min(max(steps, 0.0), BAR_STEPS)))
            text = probability_text(name, value)
            bar.setFormat(text)
            bar.setToolTip(f"{text}: the probability the network gives class {name}.")
        if p is None:
            said = f"Predicted class: {NO_VALUE}"
        elif best is None:
            said = "Predicted class: none (the network's outputs are not finite)"
        else:
            said = f"Predicted class: {best} (p = {p[self._classes.index(best)]:.3f})"
        self._predicted.setText(said)
        self._status.setText("" if p is not None else "No model yet: train to predict.")
        self._status.setVisible(p is None)

    def _update(self) -> None:
        """Recompute the table (or the class probabilities) and the extrapolation note from
        the typed inputs."""
        classifier = bool(self._classes)
        self._table.setVisible(not classifier)
        self._predicted.setVisible(classifier)
        self._bars_scroll.setVisible(classifier)
        if classifier:
            self._show_probabilities()
            self._show_extrapolation(self.inputs())
            return
        x = self.inputs()
        pred, truth = self._predictions(x), self._truth(x)
        rows = []
        for i, name in enumerate(self._output_names):
            p = format_value(pred[i]) if pred is not None else NO_VALUE
            t = format_value(truth[i]) if truth is not None else NO_VALUE
            e = NO_VALUE
            if pred is not None and truth is not None:
                e = format_value(abs(pred[i] - truth[i]))
            rows.append([name, p, t, e])
        if not self._formulas():  # no true value to compare with: the predictions alone
            rows = [row[:2] for row in rows]
        self._table.fill(HEADERS[: len(rows[0]) if rows else 2], rows, right_from=1)
        self._status.setText("" if pred is not None else "No model yet: train to predict.")
        self._status.setVisible(pred is None)
        self._show_extrapolation(x)

    def _show_extrapolation(self, x: np.ndarray) -> None:
        outside = []
        if self._ranges is not None:
            at = 0
            for field in self._fields:
                if field.column.kind == "numeric" and at < len(self._ranges):
                    lo, hi = self._ranges[at]
                    v = x[at]
                    if not lo <= v <= hi:
                        name = field.column.name
                        outside.append(f"{name} = {v:.4g} is outside [{lo:.4g}, {hi:.4g}]")
                at += field.width
        detail = "; ".join(outside)
        if len(outside) > NAMED_OUTSIDE:
            said = f"{len(outside)} inputs are outside their training range"
            self._extrapolation.setToolTip(detail)
        else:
            said = detail
            self._extrapolation.setToolTip(
                "Networks are only reliable inside the range they were trained on."
            )
        self._extrapolation.setText(
            f"Extrapolation: {said}. The network never saw such inputs in training, so expect "
            "larger errors."
        )
        self._extrapolation.setVisible(bool(outside))


if __name__ == "__main__":

    def _make() -> PredictPanel:
        panel = PredictPanel()
        # A stand-in "network" that is off by one per cent, to show the error column.
        panel.set_predictor(
            ["a", "b"], list(SEED_TARGETS), lambda x: 1.01 * true_outputs(x, SEED_TARGETS)
        )
        panel.set_training_ranges([(0, 100), (0, 100)])
        return panel

    run_preview(_make, "Predict panel preview")
