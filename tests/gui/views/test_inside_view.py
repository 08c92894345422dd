"""InsideView: a hand-computed 2 → 2 relu → 1 linear network shown step by step, the gradient
check verdict, histograms with dead units, typed samples, None, NaN weights and new layouts."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QPushButton, QSpinBox
from widget_actions import named, pages

from nngui.core.data import Dataset, DataSpec, Split
from nngui.core.gradient_check import engine_gradients
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.presets import PRESETS
from nngui.core.scaling import Scaler
from nngui.core.setup import fresh_start
from nngui.gui.views.base import ViewState
from nngui.gui.views.inside_view import FAIL_COLOUR, PASS_COLOUR, STALE_COLOUR, InsideView

TRAIN_X = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 1.0]])
TRAIN_Y = np.array([[1.0], [0.0], [2.0]])


def split(x: np.ndarray, y: np.ndarray, xsc: Scaler, ysc: Scaler) -> Split:
    return Split(x=x, y=y, xs=xsc.transform(x), ys=ysc.transform(y))


def dataset(xsc: Scaler | None = None, ysc: Scaler | None = None, val: bool = False) -> Dataset:
    """Three training rows and one test row; identity scalers unless given."""
    xsc = xsc or Scaler(np.zeros(2), np.ones(2))
    ysc = ysc or Scaler(np.zeros(1), np.ones(1))
    return Dataset(
        spec=DataSpec(samples=10, targets=("a+b",)),
        train=split(TRAIN_X, TRAIN_Y, xsc, ysc),
        val=split(TRAIN_X[:1], TRAIN_Y[:1], xsc, ysc) if val else None,
        test=split(np.array([[2.0, 2.0]]), np.array([[4.0]]), xsc, ysc),
        x_scaler=xsc,
        y_scaler=ysc,
        input_names=("a", "b"),
        output_names=("a+b",),
    )


def known_net() -> Network:
    """2 → 2 relu → 1 linear: W¹ = [[1, −1], [2, 0.5]], b¹ = (0.5, −1), W² = (1.5, −2)ᵀ,
    b² = 0.25."""
    params = [
        np.array([[1.0, -1.0], [2.0, 0.5], [0.5, -1.0]]),
        np.array([[1.5], [-2.0], [0.25]]),
    ]
    return Network(2, [LayerSpec(2, "relu"), LayerSpec(1, "linear")], params)


def state(net: Network | None = None, ds: Dataset | None = None, epoch: int = 7) -> ViewState:
    ds = ds or dataset()
    return ViewState(Model.from_dataset(net or known_net(), ds), ds, epoch)


@pytest.fixture
def view(qtbot) -> InsideView:
    v = InsideView()
    qtbot.addWidget(v)
    v.resize(860, 560)
    return v


def table(view: InsideView, i: int) -> list[list[str]]:
    return view.steps.tables[i].texts()


def test_known_net_forward_steps_show_hand_computed_values(view: InsideView) -> None:
    view.show_state(state())
    view.set_sample("train", 0)  # x = (1, 2), y = 1; identity scalers
    view.steps.select("Z1")
    assert view.steps.formula.text() == "Z¹ = A⁰ · W¹ + b¹"
    assert view.steps.shapes.text() == "(1×2) · (2×2) + (2) → (1×2)"
    assert table(view, 0) == [["1", "2"]]  # A⁰
    assert table(view, 1) == [["1", "-1"], ["2", "0.5"]]  # W¹
    assert table(view, 2) == [["0.5", "-1"]]  # b¹
    assert table(view, 3) == [["5.5", "-1"]]  # Z¹ = (1 + 4 + 0.5, −1 + 1 − 1)
    view.steps.select("A1")
    assert view.steps.formula.text() == "A¹ = relu(Z¹)"
    assert table(view, 1) == [["5.5", "0"]]
    assert not view.steps.tables[2].isVisibleTo(view)
    view.steps.select("A2")
    assert table(view, 1) == [["8.5"]]  # 5.5 · 1.5 + 0 · (−2) + 0.25
    view.steps.select("L")
    assert view.steps.formula.text() == "L = ½ Σ (Ŷ − Y)²"
    assert table(view, 2) == [["28.12"]]  # ½ (8.5 − 1)² = 28.125, to 4 significant digits


def test_known_net_backward_steps_show_hand_computed_values(view: InsideView) -> None:
    view.show_state(state())
    view.set_sample("train", 0)
    expected = {
        # key: (formula, result cells)
        "dZ2": ("dZ² = Ŷ − Y", [["7.5"]]),
        "dW2": ("dW² = A¹ᵀ · dZ²", [["41.25"], ["0"]]),
        "db2": ("db² = dZ²", [["7.5"]]),
        "dA1": ("dA¹ = dZ² · W²ᵀ", [["11.25", "-15"]]),
        "dZ1": ("dZ¹ = dA¹ ⊙ relu′(Z¹)", [["11.25", "0"]]),
        "dW1": ("dW¹ = A⁰ᵀ · dZ¹", [["11.25", "0"], ["22.5", "0"]]),
        "db1": ("db¹ = dZ¹", [["11.25", "0"]]),
        "dA0": ("dA⁰ = dZ¹ · W¹ᵀ", [["11.25", "22.5"]]),
    }
    for key, (formula, cells) in expected.items():
        view.steps.select(key)
        step = view.steps.current_step()
        assert view.steps.formula.text() == formula
        assert table(view, len(step.operands)) == cells, key
    view.steps.select("dZ1")
    assert table(view, 0) == [["11.25", "-15"]]  # dA¹
    assert table(view, 1) == [["1", "0"]]  # relu′(Z¹) with Z¹ = (5.5, −1)
    view.steps.select("dW1")
    assert view.steps.shapes.text() == "(2×1) · (1×2) → (2×2)"


def test_step_list_and_sample_table(view: InsideView) -> None:
    view.show_state(state())
    view.set_sample("train", 0)
    groups = [view.steps.tree.topLevelItem(g) for g in range(2)]
    assert [g.text(0) for g in groups] == ["Forward (step 6)", "Backward (step 7)"]
    forward = [groups[0].child(i).text(0) for i in range(groups[0].childCount())]
    assert forward == ["Z¹ = A⁰ · W¹ + b¹", "A¹ = relu(Z¹)", "Z² = A¹ · W² + b²",
                       "A² = linear(Z²)", "L = ½ Σ (Ŷ − Y)²"]  # fmt: skip
    assert groups[1].childCount() == 8
    rows = [
        [view.sample_table.item(r, c).text() for c in range(4)]
        for r in range(view.sample_table.rowCount())
    ]
    assert rows == [
        ["original", "1", "2", "1"],
        ["standardised", "1", "2", "1"],
        ["network", "", "", "8.5"],
    ]


def test_choosing_rows_and_splits(view: InsideView) -> None:
    view.show_state(state(ds=dataset(val=True)))
    sources = [view.source_combo.itemData(i) for i in range(view.source_combo.count())]
    assert sources == ["train", "val", "test", "typed"]
    view.set_sample("train", 2)  # x = (3, 1): Z¹ = (3 + 2 + 0.5, −3 + 0.5 − 1)
    assert view.row_spin.maximum() == 2 and view.row_count.text() == "of 3"
    view.steps.select("Z1")
    assert table(view, 3) == [["5.5", "-3.5"]]
    view.set_sample("test", 0)  # x = (2, 2): Z¹ = (2 + 4 + 0.5, −2 + 1 − 1)
    assert view.row_spin.maximum() == 0
    assert table(view, 3) == [["6.5", "-2"]]
    np.testing.assert_array_equal(view.trace().xs, [2.0, 2.0])
    view.show_state(state())  # no validation split any more
    assert view.source_combo.findData("val") == -1
    assert view.source_combo.currentData() == "test"


def test_typed_sample_is_standardised_with_the_models_scalers(view: InsideView) -> None:
    ds = dataset(Scaler(np.array([10.0, 20.0]), np.array([2.0, 4.0])),
                 Scaler(np.array([50.0]), np.array([10.0])))  # fmt: skip
    view.show_state(state(ds=ds))
    view.set_sample("typed")
    assert [s.value() for s in view.typed_spins] == [30.0, 70.0]
    assert view.typed_spins[0].isVisibleTo(view) and not view.row_spin.isVisibleTo(view)
    # a = 30 → (30 − 10) / 2 = 10;  b = 70 → (70 − 20) / 4 = 12.5;  a + b = 100 → 5
    np.testing.assert_array_equal(view.trace().xs, [10.0, 12.5])
    np.testing.assert_array_equal(view.trace().ys, [5.0])
    view.typed_spins[1].setValue(24.0)  # b = 24 → 1, a + b = 54 → 0.4
    np.testing.assert_allclose(view.trace().ys, [0.4])
    assert view.sample_table.item(1, 2).text() == "1"


def test_check_button_shows_green_then_red_verdict(view: InsideView, qtbot) -> None:
    view.show_state(state())
    assert not view.verdict.isVisibleTo(view)
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    text = view.verdict.text()
    assert view.verdict.isVisibleTo(view)
    assert "agree" in text and PASS_COLOUR in text and "epoch 7" in text
    assert "9 of 9 parameters, 3 training rows" in text

    def doubled(net, x, y):  # a planted error: every gradient twice too large
        return [2 * g for g in engine_gradients(net, x, y)]

    view.gradient_fn = doubled
    result = view.run_gradient_check()
    assert not result.passed and result.max_rel_diff == pytest.approx(0.5)
    text = view.verdict.text()
    assert "DISAGREE" in text and FAIL_COLOUR in text and "5.0e-01" in text


def test_histograms_show_weights_and_the_dead_unit(view: InsideView) -> None:
    view.show_state(state())
    view.tabs.setCurrentWidget(view.histograms)
    h = view.histograms
    # unit 1 of layer 1 has Z = −1, −2, −3.5 on the three training rows: dead
    assert h.summary.text() == (
        "Dead relu units over 3 training rows: layer 1: 1 of 2 units dead (50 %)."
    )
    assert "1 of 2 units dead (50 %)" in h.activation_plots[0].titleLabel.text
    assert [c.getData()[1].sum() for c in h.weight_curves] == [4, 2]
    assert [c.getData()[1].sum() for c in h.activation_curves] == [6, 3]
    assert h.weight_plots[0].titleLabel.text == "Layer 1 · 4 weights"


def test_none_clears_the_view(view: InsideView, qtbot) -> None:
    view.show_state(state())
    view.run_gradient_check()
    view.show_state(None)
    assert pages(view).currentIndex() == 0
    assert view.trace() is None and view.steps.current_step() is None
    assert not view.verdict.isVisibleTo(view) and not view.check_button.isEnabled()
    assert view.run_gradient_check() is None
    view.show_state(state())
    assert pages(view).currentIndex() == 1 and view.check_button.isEnabled()


def test_network_that_does_not_fit_the_data_is_explained(view: InsideView) -> None:
    wrong = Network.initialise(2, [LayerSpec(3, "relu"), LayerSpec(2, "linear")],
                               np.random.RandomState(0))  # fmt: skip
    view.show_state(state(wrong))
    assert pages(view).currentIndex() == 0 and view.trace() is None
    assert "2 outputs but the data 2 and 1" in named(view, "Empty view note").text()
    view.show_state(state())
    assert pages(view).currentIndex() == 1 and view.trace() is not None


def test_nan_weights_do_not_crash(view: InsideView) -> None:
    net = known_net()
    net.params[0][0, 0] = np.nan
    view.tabs.setCurrentWidget(view.histograms)
    view.show_state(state(net))  # warnings are errors here
    view.tabs.setCurrentWidget(view.steps)
    view.steps.select("Z1")
    assert table(view, 3)[0][0] == "nan"
    assert view.sample_table.item(2, 3).text() == "nan"
    result = view.run_gradient_check()
    assert not result.passed
    assert FAIL_COLOUR in view.verdict.text() and "Nothing to check" in view.verdict.text()


def test_second_state_with_other_layers_rebuilds_and_keeps_the_step(view: InsideView) -> None:
    view.show_state(state())
    view.tabs.setCurrentWidget(view.histograms)
    view.run_gradient_check()
    view.tabs.setCurrentWidget(view.steps)
    view.steps.select("dW1")
    layers = [LayerSpec(3, "tanh"), LayerSpec(2, "relu"), LayerSpec(1, "linear")]
    bigger = Network.initialise(2, layers, np.random.RandomState(0))
    view.show_state(state(bigger))
    assert not view.verdict.isVisibleTo(view)  # the check was of another network
    assert view.steps.current_step().key == "dW1"
    assert view.steps.shapes.text() == "(2×1) · (1×3) → (2×3)"
    assert view.steps.tree.topLevelItem(1).childCount() == 12
    view.tabs.setCurrentWidget(view.histograms)
    assert len(view.histograms.weight_curves) == 3
    assert [c.getData()[1].sum() for c in view.histograms.weight_curves] == [6, 6, 2]


def nudged(net: Network, by: float) -> Network:
    """A copy of ``net`` with every parameter moved by ``by`` (as a training step would)."""
    moved = net.copy()
    for p in moved.params:
        p += by
    return moved


def test_verdict_of_a_network_that_trains_on_names_its_epoch(view: InsideView) -> None:
    ds = dataset()
    view.show_state(state(ds=ds, epoch=803))
    view.run_gradient_check()
    checked = view.verdict.text()
    assert "(epoch 803)" in checked and PASS_COLOUR in checked
    view.show_state(state(ds=ds, epoch=803))  # the same network again
    view.show_state(state(nudged(known_net(), 1e-3), ds, epoch=900))  # training went on
    assert view.verdict.text() == checked and not view.check_is_stale()


def test_verdict_of_a_reset_network_says_to_check_again(view: InsideView) -> None:
    ds = dataset()
    view.show_state(state(ds=ds, epoch=803))
    view.run_gradient_check()
    view.show_state(state(nudged(known_net(), 0.1), ds, epoch=0))  # re-initialised, same layers
    text = view.verdict.text()
    assert view.verdict.isVisibleTo(view) and view.check_is_stale()
    assert "(epoch 803, before the network changed — check again)" in text
    assert STALE_COLOUR in text and PASS_COLOUR not in text
    view.show_state(state(nudged(known_net(), 0.2), ds, epoch=1000))  # trained past 803 since
    assert view.check_is_stale() and view.verdict.text() == text
    view.run_gradient_check()  # a new check is of the network shown
    assert not view.check_is_stale() and "(epoch 1,000)" in view.verdict.text()


def test_verdict_on_other_data_says_to_check_again(view: InsideView) -> None:
    view.show_state(state(epoch=803))
    view.run_gradient_check()
    view.show_state(state(epoch=5000))  # the same weights, but a new data set (or model file)
    assert view.check_is_stale() and "check again" in view.verdict.text()


def test_large_matrices_are_elided(view: InsideView) -> None:
    layers = [LayerSpec(40, "relu"), LayerSpec(12, "relu"), LayerSpec(1, "linear")]
    view.show_state(state(Network.initialise(2, layers, np.random.RandomState(0))))
    view.steps.select("dW2")  # (40×12)
    cells = table(view, 2)
    assert len(cells) == 9 and len(cells[0]) == 7  # 8 rows and 6 columns, then "…"
    assert cells[-1] == ["…"] * 7 and all(row[-1] == "…" for row in cells)
    assert view.steps.tables[2].verticalHeaderItem(8).text() == "…"


def test_every_control_is_described(view: InsideView) -> None:
    view.show_state(state())
    for kind in (QComboBox, QSpinBox, QDoubleSpinBox, QPushButton):
        for w in view.findChildren(kind):
            assert w.accessibleName() and w.toolTip(), w


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_show_state_works_on_both_pages_for_the_presets(view: InsideView, name: str) -> None:
    preset = PRESETS[name]
    t = preset.training
    ds, net = fresh_start(preset.data, preset.layers, t.init, t.dtype)
    s = ViewState(Model.from_dataset(net, ds), ds, 0)
    view.show()
    for page in (view.steps, view.histograms):
        view.tabs.setCurrentWidget(page)
        for _ in range(3):  # (what a refresh costs: bench/bench_views.py)
            view.show_state(s)
        assert view.tabs.currentWidget() is page
    assert view.run_gradient_check().passed
