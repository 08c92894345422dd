"""The predict panel: type inputs, read the network's outputs beside the true formula's.

The panel holds a plain ``predict`` callable (raw inputs → outputs in original units) given by
the main window; it never touches a live network, so it can be refreshed with each new weight
snapshot while training runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from nngui.core.data import INPUT_NAMES, SEED_TARGETS, TARGETS, true_outputs
from nngui.gui.widgets import FitTable, describe, float_spin, hint_label, run_preview

Predictor = Callable[[np.ndarray], np.ndarray]
INPUT_LIMIT = 1e6
DEFAULT_INPUTS = {"a": 30.0, "b": 70.0}  # the article's example
NO_VALUE = "—"
HEADERS = ["Output", "Predicted", "True", "Abs. error"]


def format_value(v: float) -> str:
    """A number for the table: four decimals with thousands grouping (nan and inf spelt out)."""
    return f"{v:,.4f}" if np.isfinite(v) else str(v)


class PredictPanel(QWidget):
    """Try the network on chosen inputs and compare it with the target formulas."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._input_names: list[str] = []
        self._output_names: list[str] = []
        self._predict: Predictor | None = None
        self._ranges: list[tuple[float, float]] | None = None
        self._spins: list[QDoubleSpinBox] = []
        # Inputs beside outputs: the panel stays short, leaving the height to the plots above.
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self._inputs_box = QGroupBox("Inputs")
        self._form = QFormLayout(self._inputs_box)
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
        self._status = hint_label(warning=False)
        self._status.setAccessibleName("Prediction status")
        box.addWidget(self._status)
        box.addStretch(1)
        layout.addWidget(outputs, 5)
        self.set_predictor(list(INPUT_NAMES), list(SEED_TARGETS), None)

    # ----- public API ---------------------------------------------------------------------
    def set_predictor(
        self, input_names: list[str], output_names: list[str], predict: Predictor | None
    ) -> None:
        """Use ``predict`` (raw inputs (n, n_inputs) → outputs (n, n_outputs), original units).

        None means there is no model yet: predictions show "—". Call again to refresh with new
        weights; the typed inputs are kept while the input names stay the same.
        """
        if list(input_names) != self._input_names:
            self._build_inputs(list(input_names))
        self._output_names = list(output_names)
        self._predict = predict
        self._update()

    def set_training_ranges(self, ranges: Sequence[tuple[float, float]] | None) -> None:
        """The (low, high) range of each input seen in training, to flag extrapolation."""
        self._ranges = None if ranges is None else [(float(lo), float(hi)) for lo, hi in ranges]
        self._update()

    def inputs(self) -> np.ndarray:
        """The typed inputs, shape (n_inputs,)."""
        return np.array([spin.value() for spin in self._spins], dtype=np.float64)

    def set_inputs(self, values: Sequence[float]) -> None:
        """Type ``values`` into the input boxes (updates the predictions once)."""
        for spin, v in zip(self._spins, values, strict=True):
            with QSignalBlocker(spin):
                spin.setValue(float(v))
        self._update()

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
    def _build_inputs(self, names: list[str]) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self._spins = []
        for name in names:
            spin = float_spin(
                -INPUT_LIMIT, INPUT_LIMIT, DEFAULT_INPUTS.get(name, 0.0),
                name=f"Input {name}", step=1.0, live=True,
                tip=f"Value of input {name}; the outputs update as you type.",
            )  # fmt: skip
            # At least wide enough for the longest value, however narrow the column gets.
            spin.setMinimumWidth(spin.sizeHint().width())
            spin.valueChanged.connect(self._update)
            self._form.addRow(f"{name}:", spin)
            self._spins.append(spin)
        for first, second in itertools.pairwise(self._spins):
            QWidget.setTabOrder(first, second)
        self._input_names = names

    def _predictions(self, x: np.ndarray) -> np.ndarray | None:
        if self._predict is None:
            return None
        y = np.asarray(self._predict(x[None, :]), dtype=np.float64)
        return y.reshape(-1)[: len(self._output_names)]

    def _truth(self, x: np.ndarray) -> np.ndarray | None:
        known = len(x) == len(INPUT_NAMES) and all(n in TARGETS for n in self._output_names)
        if not known or not self._output_names:
            return None
        return true_outputs(x[None, :], tuple(self._output_names))[0]

    def _update(self) -> None:
        """Recompute the table and the extrapolation note from the typed inputs."""
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
        self._table.fill(HEADERS, rows, right_from=1)
        self._status.setText("" if pred is not None else "No model yet: train to predict.")
        self._status.setVisible(pred is None)
        self._show_extrapolation(x)

    def _show_extrapolation(self, x: np.ndarray) -> None:
        outside = []
        if self._ranges is not None:
            for name, v, (lo, hi) in zip(self._input_names, x, self._ranges, strict=False):
                if not lo <= v <= hi:
                    outside.append(f"{name} = {v:.4g} is outside [{lo:.4g}, {hi:.4g}]")
        self._extrapolation.setText(
            "Extrapolation: " + "; ".join(outside) + ". The network never saw such inputs "
            "in training, so expect larger errors."
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
