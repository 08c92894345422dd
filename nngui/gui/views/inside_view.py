"""The Inside view: the article's nine steps made visible for one sample.

Choose a sample (a row of the train, validation or test split, or inputs typed in) and read
its raw and standardised values, then every step of its forward and backward pass: each
layer's Z, A, dZ, dW, db and dA beside the formula that produced them (``inside_steps``).
"Check gradients" compares the engine's backprop with finite differences on training rows
(``core.gradient_check``), and a second tab shows per-layer histograms of the weights and of
the activations with the share of dead relu units (``inside_histograms``).

``show_state`` recomputes the sample's trace (microseconds) and, only while the histogram tab
is shown, the layer statistics; widgets are created once and updated in place. A gradient
check's verdict stays while training goes on from the checked network (it names its epoch);
once the network is reset, replaced or loaded it is greyed and says to check again, and it is
hidden when the layers change (``CheckedNetwork``).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nngui.core.data import TARGETS, Dataset, Split, true_outputs
from nngui.core.gradient_check import GradientCheck, ParameterDiff, affordable, check_gradients
from nngui.core.gradient_check import engine_gradients as _engine_gradients
from nngui.core.inside import SampleTrace, trace_sample
from nngui.core.layer_stats import MAX_ROWS, layer_stats
from nngui.gui.views.base import View, ViewState
from nngui.gui.views.inside_formulas import fmt, sup
from nngui.gui.views.inside_histograms import HistogramsPanel
from nngui.gui.views.inside_steps import StepsPanel
from nngui.gui.widgets import FitTable, describe, float_spin, int_spin

EMPTY_TEXT = "No network yet: build a network and generate data to look inside it."
MISMATCH_TEXT = (
    "The network has {0} inputs and {1} outputs but the data {2} and {3}: build the network "
    "again to look inside it."
)
#: (label, key) of the sample sources; "typed" uses the inputs typed into the tool bar.
SOURCES = (("train", "train"), ("validation", "val"), ("test", "test"), ("typed", "typed"))
TYPED_DEFAULTS = {"a": 30.0, "b": 70.0}  # the article's example
PASS_COLOUR = "#1a7f37"
FAIL_COLOUR = "#c62828"
STALE_COLOUR = "#808080"
STALE_NOTE = ", before the network changed — check again"


@dataclass(frozen=True)
class CheckedNetwork:
    """What a gradient check ran on, to tell whether a later state shows the same network.

    params : copies of the checked ``network.params``; ``dataset`` a weak reference to the
    data set it was checked on (the window keeps one per session: reset, open and new data
    settings make a new one).
    """

    structure: tuple
    params: tuple[np.ndarray, ...]
    dataset: weakref.ref[Dataset]
    epoch: int

    @classmethod
    def of(cls, state: ViewState) -> CheckedNetwork:
        """The fingerprint of ``state``'s network, taken when it is checked."""
        params = tuple(p.copy() for p in state.network.params)
        return cls(_structure(state), params, weakref.ref(state.dataset), state.epoch)

    def relation(self, state: ViewState) -> str:
        """How ``state``'s network relates to the checked one: "same"; "trained" (the same
        session at a later epoch); "changed" (reset, replaced or loaded: same layers, other
        weights); "reshaped" (other layers)."""
        if _structure(state) != self.structure:
            return "reshaped"
        if self.dataset() is not state.dataset:
            return "changed"
        params = state.network.params
        if all(np.array_equal(a, b) for a, b in zip(self.params, params, strict=True)):
            return "same"
        return "trained" if state.epoch > self.epoch else "changed"


class InsideView(View):
    """One sample's forward and backward pass, a gradient check and per-layer histograms."""

    title = "Inside"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: ViewState | None = None
        self._trace: SampleTrace | None = None
        self._checked: CheckedNetwork | None = None
        self._check_result: GradientCheck | None = None
        self._check_stale = False
        self._input_names: tuple[str, ...] = ()
        self.typed_spins: list[QDoubleSpinBox] = []
        #: The gradient function "Check gradients" tests: the engine's (tests plant errors).
        self.gradient_fn = _engine_gradients
        self.build_frame(self._toolbar(), self._content(), EMPTY_TEXT)
        self.show_state(None)

    # ----- construction -------------------------------------------------------------------
    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel("&Sample:")
        self.source_combo = describe(
            QComboBox(), "Sample source",
            "Where the sample comes from: a row of the training, validation or test split, "
            "or inputs you type (their target is the formula's exact value).",
        )  # fmt: skip
        label.setBuddy(self.source_combo)
        self.source_combo.currentIndexChanged.connect(self._on_source_changed)
        self.row_spin = int_spin(
            0, 0, 0, name="Sample row",
            tip="Row of the split to trace, counting from 0 as in NumPy (the label beside "
            "it says how many rows the split has).",
        )  # fmt: skip
        self.row_spin.valueChanged.connect(self._refresh)
        self.row_count = QLabel()
        self._typed_box = QHBoxLayout()
        self.check_button = describe(
            QPushButton("Chec&k gradients"), "Check gradients",
            "Compare the gradients backprop computes (the code that trains) with finite "
            "differences of the loss, on up to 32 training rows.",
        )  # fmt: skip
        self.check_button.clicked.connect(self.run_gradient_check)
        for w in (label, self.source_combo, self.row_spin, self.row_count):
            row.addWidget(w)
        row.addLayout(self._typed_box)
        row.addStretch(1)
        row.addWidget(self.check_button)
        return row

    def _content(self) -> QWidget:
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(0, 0, 0, 0)
        self.sample_table = describe(
            FitTable(min_column=64), "Sample values",
            "The chosen sample's inputs and targets in original units and standardised with "
            "the training split's scalers (what the network sees), and the network's output.",
        )  # fmt: skip
        self.sample_table.verticalHeader().hide()
        box.addWidget(self.sample_table)
        self.verdict = describe(
            QLabel(), "Gradient check result",
            "The largest relative difference |g − f| / max(|g|, |f|) between backprop's "
            "gradient g and the finite-difference gradient f, and where it occurs.",
        )  # fmt: skip
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.hide()
        box.addWidget(self.verdict)
        self.tabs = describe(
            QTabWidget(), "Inside pages", "The sample's steps, or per-layer histograms."
        )
        self.tabs.setDocumentMode(True)
        self.steps = StepsPanel()
        self.histograms = HistogramsPanel()
        self.tabs.addTab(self.steps, "Forward and backward")
        self.tabs.addTab(self.histograms, "Histograms")
        self.tabs.currentChanged.connect(self._refresh_histograms)
        box.addWidget(self.tabs, 1)
        return body

    # ----- public API ---------------------------------------------------------------------
    def show_state(self, state: ViewState | None) -> None:
        """Trace the chosen sample through ``state``'s network (None: clear the view)."""
        if state is not None and not _matches(state):
            net, ds = state.network, state.dataset
            self._empty.setText(
                MISMATCH_TEXT.format(net.n_inputs, net.n_outputs, ds.n_inputs, ds.n_outputs)
            )
            state = None
        else:
            self._empty.setText(EMPTY_TEXT)
        self._state = state
        self.check_button.setEnabled(state is not None)
        if state is None:
            self._stack.setCurrentIndex(0)
            self._trace = None
            self.steps.show_trace(None)
            self.histograms.show_stats(None)
            self._forget_check()
            return
        self._stack.setCurrentIndex(1)
        self._update_verdict(state)
        self._sync_controls(state)
        self._refresh()

    def trace(self) -> SampleTrace | None:
        """The trace shown, or None."""
        return self._trace

    def set_sample(self, source: str, row: int = 0) -> None:
        """Choose the sample: ``source`` "train", "val", "test" or "typed", and its row."""
        i = self.source_combo.findData(source)
        if i < 0:
            raise ValueError(f"no sample source {source!r} here")
        with QSignalBlocker(self.source_combo):
            self.source_combo.setCurrentIndex(i)
        self._update_source_controls()
        with QSignalBlocker(self.row_spin):
            self.row_spin.setValue(row)
        self._refresh()

    def run_gradient_check(self) -> GradientCheck | None:
        """Run the gradient check on the shown network and training rows; show the verdict."""
        state = self._state
        if state is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            train = state.dataset.train
            net = state.network
            settings = affordable(net)  # well under a second for the presets' networks
            result = check_gradients(
                net, train.xs, train.ys, gradient_fn=self.gradient_fn, **settings
            )
        finally:
            QApplication.restoreOverrideCursor()
        self._checked, self._check_result = CheckedNetwork.of(state), result
        self._check_stale = False
        self.verdict.setText(verdict_html(result, state.epoch))
        self.verdict.show()
        return result

    def check_is_stale(self) -> bool:
        """Whether the verdict shown is of a network that has since been reset or replaced."""
        return self._check_stale

    def _update_verdict(self, state: ViewState) -> None:
        """Hide the verdict for other layers; grey it once the network is not the checked one
        nor trained on from it (it stays so until the next check)."""
        if self._checked is None:
            return
        relation = self._checked.relation(state)
        if relation == "reshaped":
            self._forget_check()
        elif relation == "changed" and not self._check_stale:
            assert self._check_result is not None  # set together with _checked
            self._check_stale = True
            self.verdict.setText(verdict_html(self._check_result, self._checked.epoch, stale=True))

    def _forget_check(self) -> None:
        self._checked, self._check_result, self._check_stale = None, None, False
        self.verdict.hide()

    # ----- sample choice ------------------------------------------------------------------
    def _sync_controls(self, state: ViewState) -> None:
        ds = state.dataset
        known = all(n in TARGETS for n in ds.output_names)
        wanted = [
            (label, key)
            for label, key in SOURCES
            if (key != "val" or ds.val is not None) and (key != "typed" or known)
        ]
        have = [
            (self.source_combo.itemText(i), self.source_combo.itemData(i))
            for i in range(self.source_combo.count())
        ]
        if wanted != have:
            current = self.source_combo.currentData()
            with QSignalBlocker(self.source_combo):
                self.source_combo.clear()
                for label, key in wanted:
                    self.source_combo.addItem(label, key)
                self.source_combo.setCurrentIndex(max(0, self.source_combo.findData(current)))
        if tuple(ds.input_names) != self._input_names:
            self._build_typed(tuple(ds.input_names))
        self._update_source_controls()

    def _build_typed(self, names: tuple[str, ...]) -> None:
        for spin in self.typed_spins:
            spin.deleteLater()
        self.typed_spins = []
        for name in names:
            spin = float_spin(
                -1e6, 1e6, TYPED_DEFAULTS.get(name, 0.0), name=f"Typed input {name}", live=True,
                step=1.0, tip=f"Value of input {name} (original units) for the typed sample.",
            )  # fmt: skip
            spin.setPrefix(f"{name} = ")
            spin.valueChanged.connect(self._refresh)
            self._typed_box.addWidget(spin)
            self.typed_spins.append(spin)
        self._input_names = names

    def _split(self) -> Split | None:
        key = self.source_combo.currentData()
        if self._state is None or key in (None, "typed"):
            return None
        return getattr(self._state.dataset, key)

    def _on_source_changed(self) -> None:
        self._update_source_controls()
        self._refresh()

    def _update_source_controls(self) -> None:
        """Show the row or the typed inputs, and fit the row's range to the split."""
        split = self._split()
        typed = self.source_combo.currentData() == "typed"
        for spin in self.typed_spins:
            spin.setVisible(typed)
        self.row_spin.setVisible(not typed)
        self.row_count.setVisible(not typed)
        if split is not None:
            with QSignalBlocker(self.row_spin):
                self.row_spin.setMaximum(max(0, len(split) - 1))
            self.row_count.setText(f"of {len(split):,}")

    def _sample(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The chosen sample: raw inputs, raw targets, standardised inputs, standardised
        targets, shapes (n_inputs,), (n_outputs,), (n_inputs,), (n_outputs,)."""
        state = self._state
        split = self._split()
        if split is not None:
            i = min(self.row_spin.value(), len(split) - 1)
            return split.x[i], split.y[i], split.xs[i], split.ys[i]
        assert state is not None  # _refresh samples only while showing a state
        x = np.array([spin.value() for spin in self.typed_spins])
        y = true_outputs(x[None, :], tuple(state.dataset.output_names))[0]
        model = state.model
        return x, y, model.x_scaler.transform(x[None])[0], model.y_scaler.transform(y[None])[0]

    # ----- drawing ------------------------------------------------------------------------
    def _refresh(self) -> None:
        state = self._state
        if state is None or self.source_combo.currentData() is None:
            return
        x, y, xs, ys = self._sample()
        self._trace = trace_sample(state.network, xs, ys)
        with np.errstate(all="ignore"):
            yhat = state.model.y_scaler.inverse(self._trace.yhat[None])[0]
        self._fill_sample_table(state, (x, y, xs, ys), yhat)
        self.steps.show_trace(self._trace)
        self._refresh_histograms()

    def _fill_sample_table(self, state: ViewState, sample: tuple, yhat: np.ndarray) -> None:
        x, y, xs, ys = sample
        ins, outs = state.dataset.input_names, state.dataset.output_names
        headers = ["", *(f"input {n}" for n in ins), *(f"target {n}" for n in outs)]
        rows = [
            ["original", *map(fmt, x), *map(fmt, y)],
            ["standardised", *map(fmt, xs), *map(fmt, ys)],
            ["network", *([""] * len(ins)), *map(fmt, yhat)],
        ]
        self.sample_table.fill(headers, rows, right_from=1)

    def _refresh_histograms(self) -> None:
        state = self._state
        if state is None or self.tabs.currentWidget() is not self.histograms:
            return
        xs = state.dataset.train.xs
        self.histograms.show_stats(layer_stats(state.network, xs), min(len(xs), MAX_ROWS))


def _matches(state: ViewState) -> bool:
    """Whether the network's inputs and outputs fit the data's."""
    net, ds = state.network, state.dataset
    return (net.n_inputs, net.n_outputs) == (ds.n_inputs, ds.n_outputs)


def _structure(state: ViewState) -> tuple:
    net = state.network
    return (tuple(net.sizes), tuple(layer.activation for layer in net.layers))


def parameter_name(d: ParameterDiff) -> str:
    """ "W²[1, 0]" or "b¹[3]" for a parameter of the gradient check."""
    letter = "W" if d.kind == "weight" else "b"
    return f"{letter}{sup(d.layer)}[{', '.join(map(str, d.index))}]"


def verdict_html(result: GradientCheck, epoch: int, stale: bool = False) -> str:
    """The gradient check's verdict as coloured rich text, with a per-layer line.

    ``stale``: the network has changed since (reset, replaced): grey, and "check again".
    """
    colour = STALE_COLOUR if stale else PASS_COLOUR if result.passed else FAIL_COLOUR
    when = f"epoch {epoch:,}{STALE_NOTE if stale else ''}"
    if result.worst is None:
        head = f"✘ Nothing to check ({when}): {result.note}."
        return f'<span style="color:{colour}"><b>{head}</b></span>'
    w = result.worst
    verb = "agree" if result.passed else "DISAGREE"
    head = (
        f"{'✔' if result.passed else '✘'} Backprop and finite differences {verb} "
        f"({when}): largest relative difference {result.max_rel_diff:.1e} at "
        f"{parameter_name(w)}; tolerance {result.tolerance:.0e}."
    )
    values = ""
    if not result.passed:
        values = f" Backprop {w.engine:.6g}, finite differences {w.numeric:.6g}."
    per_layer = ", ".join(
        f"W{sup(lc.layer)} {lc.weights.max_rel_diff:.0e}, b{sup(lc.layer)} "
        f"{lc.biases.max_rel_diff:.0e}"
        for lc in result.layers
    )
    note = f" Note: {result.note}." if result.note else ""
    return (
        f'<span style="color:{colour}"><b>{head}</b></span>{values}<br>'
        f"{result.checked:,} of {result.total:,} parameters, {result.samples} training rows. "
        f"Per layer: {per_layer}.{note}"
    )


if __name__ == "__main__":
    from nngui.core.data import DataSpec, make_dataset
    from nngui.core.model import Model
    from nngui.core.network import Network, seed_layers
    from nngui.core.training import TrainConfig, Trainer
    from nngui.gui.widgets import run_preview

    def _make() -> InsideView:
        spec = DataSpec()
        rng = np.random.RandomState(spec.seed)
        ds = make_dataset(spec, rng)
        net = Network.initialise(ds.n_inputs, seed_layers(ds.n_outputs), rng)
        Trainer(net, ds, TrainConfig(epochs=300)).run()
        view = InsideView()
        view.resize(860, 560)
        view.show_state(ViewState(Model.from_dataset(net.copy(), ds), ds, epoch=300))
        return view

    run_preview(_make, "Inside view preview")
