"""PredictPanel: typed inputs go through the predictor; truth, error and extrapolation shown."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QSplitter, QWidget
from widget_actions import box, named

from nngui.core.data import SEED_TARGETS, true_outputs
from nngui.gui.predict_panel import PredictPanel


@pytest.fixture
def panel(qtbot):
    p = PredictPanel()
    qtbot.addWidget(p)
    p.show()
    return p


def column(panel: PredictPanel, c: int) -> list[str]:
    table = panel.table()
    return [table.item(r, c).text() for r in range(table.rowCount())]


def note(panel: PredictPanel) -> QLabel:
    """The note that the inputs lie outside the training ranges."""
    return named(panel, "Extrapolation note", QLabel)


def type_into(qtbot, spin: QAbstractSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Tab)


class FakeNetwork:
    """Predicts the true outputs plus a fixed offset and records every call."""

    def __init__(self, offset: float) -> None:
        self.offset = offset
        self.calls: list[np.ndarray] = []

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.calls.append(x.copy())
        return true_outputs(x, SEED_TARGETS) + self.offset


def test_without_a_model_predictions_are_dashes_and_truth_is_shown(panel):
    np.testing.assert_array_equal(panel.inputs(), [30.0, 70.0])
    assert panel.outputs_text() == ["—", "—", "—"]
    assert column(panel, 0) == list(SEED_TARGETS)
    assert column(panel, 2) == ["100.0000", "-40.0000", "40.0000"]
    assert named(panel, "Prediction status").isVisible()


def test_predictions_truth_and_absolute_error(panel):
    net = FakeNetwork(0.5)
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), net)
    assert panel.outputs_text() == ["100.5000", "-39.5000", "40.5000"]
    assert column(panel, 3) == ["0.5000", "0.5000", "0.5000"]
    assert net.calls[-1].shape == (1, 2)
    assert not named(panel, "Prediction status").isVisible()


def test_typing_an_input_updates_the_outputs(panel, qtbot):
    net = FakeNetwork(-0.25)
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), net)
    type_into(qtbot, box(panel, "Input a"), "1234.5")
    np.testing.assert_allclose(panel.inputs(), [1234.5, 70.0])
    np.testing.assert_allclose(net.calls[-1], [[1234.5, 70.0]])
    assert panel.outputs_text()[0] == "1,304.2500"
    assert column(panel, 3)[0] == "0.2500"


def test_refreshing_the_predictor_keeps_the_typed_inputs(panel, qtbot):
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), FakeNetwork(1.0))
    type_into(qtbot, box(panel, "Input b"), "10")
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), FakeNetwork(2.0))
    np.testing.assert_array_equal(panel.inputs(), [30.0, 10.0])
    assert panel.outputs_text()[0] == "42.0000"
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), None)
    assert panel.outputs_text() == ["—", "—", "—"]


def test_outputs_follow_the_chosen_targets(panel):
    panel.set_predictor(["a", "b"], ["a*b"], lambda x: x[:, :1] * x[:, 1:])
    assert column(panel, 0) == ["a*b"]
    assert panel.outputs_text() == ["2,100.0000"]
    assert column(panel, 3) == ["0.0000"]


def test_extrapolation_is_flagged_outside_the_training_ranges(panel, qtbot):
    panel.set_training_ranges([(0.0, 100.0), (0.0, 100.0)])
    assert not note(panel).isVisible()
    type_into(qtbot, box(panel, "Input a"), "150")
    assert note(panel).isVisible()
    assert "a = 150 is outside [0, 100]" in note(panel).text()
    panel.set_training_ranges([(0.00116348, 99.9718), (0.0, 100.0)])
    assert "a = 150 is outside [0.001163, 99.97]" in note(panel).text()
    type_into(qtbot, box(panel, "Input a"), "99")
    assert not note(panel).isVisible()
    panel.set_inputs([-1, 50])
    assert note(panel).isVisible()
    panel.set_training_ranges(None)
    assert not note(panel).isVisible()


def test_non_finite_predictions_are_spelt_out(panel):
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), lambda x: np.full((len(x), 3), np.nan))
    assert panel.outputs_text() == ["nan", "nan", "nan"]


def test_inputs_have_tooltips_and_accessible_names(panel):
    spins = panel.findChildren(QAbstractSpinBox)
    assert [s.accessibleName() for s in spins] == ["Input a", "Input b"]
    assert all(s.toolTip() for s in spins)
    assert panel.table().accessibleName() == "Predictions"


def test_extrapolation_note_never_squeezes_the_input_boxes(qtbot):
    """As in the main window: the panel under a plot in a splitter, sized before the note shows."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    qtbot.addWidget(splitter)
    panel = PredictPanel()
    splitter.addWidget(QWidget())
    splitter.addWidget(panel)
    splitter.resize(850, 600)
    splitter.setSizes([10_000, panel.sizeHint().height()])
    splitter.show()
    qtbot.waitExposed(splitter)
    panel.set_training_ranges([(0.0, 100.0), (0.0, 100.0)])
    type_into(qtbot, box(panel, "Input a"), "150")
    assert note(panel).isVisible()
    qtbot.wait(50)  # let the splitter and layouts settle
    shown = note(panel)
    assert shown.height() >= shown.heightForWidth(shown.width())
    for spin in (box(panel, "Input a"), box(panel, "Input b")):
        assert spin.height() >= spin.sizeHint().height(), spin.accessibleName()
        assert spin.width() >= spin.fontMetrics().horizontalAdvance("-1,000,000.0000")


def test_csv_columns_get_a_box_or_a_category_list_starting_at_the_training_medians(panel):
    from PySide6.QtWidgets import QComboBox

    from nngui.core.data import InputColumn

    columns = (InputColumn("x"), InputColumn("kind", "categorical", ("u", "v", "w")))
    names = ["x", "kind=u", "kind=v", "kind=w"]
    train = np.array([[1.0, 0, 1, 0], [3.0, 0, 1, 0], [10.0, 1, 0, 0]])
    panel.set_training_inputs(train, [3.0, 0, 1, 0])
    seen = []
    panel.set_predictor(names, ["y"], lambda x: seen.append(x.copy()) or x[:, :1] * 2, columns)
    kind = panel.field("kind")
    assert isinstance(kind, QComboBox) and [kind.itemText(i) for i in range(3)] == ["u", "v", "w"]
    assert kind.currentText() == "v", "the category it starts at"
    assert panel.inputs().tolist() == [3.0, 0, 1, 0]
    kind.setCurrentIndex(2)
    assert seen[-1].tolist() == [[3.0, 0, 0, 1]]
    assert [panel.table().horizontalHeaderItem(c).text() for c in range(2)] == [
        "Output", "Predicted",
    ]  # fmt: skip
    assert panel.table().columnCount() == 2, "no formula: no true value to show"
    panel.set_inputs([50.0, 1, 0, 0])
    assert kind.currentText() == "u" and note(panel).isVisibleTo(panel)
    assert "x = 50 is outside [1, 10]" in note(panel).text()


def test_many_inputs_scroll_and_the_note_counts_those_outside(panel):
    names = [f"c{i}" for i in range(9)]
    panel.set_training_inputs(np.zeros((3, 9)) + np.arange(3)[:, None])
    panel.set_predictor(names, ["y"], lambda x: x[:, :1])
    panel.set_inputs([5.0] * 9)
    assert "9 inputs are outside their training range" in note(panel).text()
    assert "c8 = 5 is outside [0, 2]" in note(panel).toolTip()
    assert box(panel, "Input c0").height() >= box(panel, "Input c0").sizeHint().height()


# ----- classifiers: the predicted class and a probability bar per class ----------------------
@pytest.fixture(scope="module")
def iris_model():
    """A three-class softmax classifier on the shipped iris data, trained briefly."""
    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_source import CsvSpec, make_csv_dataset
    from nngui.core.examples import example_path
    from nngui.core.model import Model
    from nngui.core.network import LayerSpec
    from nngui.core.setup import start_on
    from nngui.core.training import TrainConfig, Trainer

    path = example_path("iris.csv")
    ds = make_csv_dataset(CsvSpec(path, (), ("species",), sniff(path))).dataset
    ds, net = start_on(ds, [LayerSpec(8, "tanh"), LayerSpec(3, "softmax")])
    Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=60)).run()
    return Model.from_dataset(net, ds)


@pytest.fixture(scope="module")
def spiral_model():
    """A two-class sigmoid classifier on the Playground spiral (classes "-1" and "1")."""
    from nngui.core.model import Model
    from nngui.core.network import LayerSpec
    from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
    from nngui.core.setup import start_on
    from nngui.core.training import TrainConfig, Trainer

    ds = make_playground_dataset(PlaygroundSpec(dataset="spiral", points=300))
    ds, net = start_on(ds, [LayerSpec(8, "tanh"), LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")])
    Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=200)).run()
    return Model.from_dataset(net, ds)


def show_model(panel: PredictPanel, model) -> None:
    """What the main window does with a model: the predictor, then the classifier."""
    from nngui.gui.predict_panel import class_probabilities

    panel.set_predictor(
        list(model.input_names), list(model.output_names), model.predict, model.input_columns
    )
    panel.set_classifier(model.classes, class_probabilities(model))


def core_probabilities(model, x) -> np.ndarray:
    from nngui.core.classification import Classes

    return Classes(model.classes).class_probabilities(model.predict(np.array([x])))[0]


def bars(panel: PredictPanel, classes) -> list:
    from PySide6.QtWidgets import QProgressBar

    return [named(panel, f"Probability of {name}", QProgressBar) for name in classes]


def test_typed_inputs_give_cores_class_probabilities(panel, qtbot, iris_model):
    show_model(panel, iris_model)
    classes = list(iris_model.classes)
    assert not panel.table().isVisible()
    for typed in (
        {},  # the fields' start values
        {"petal_length": "1.4", "petal_width": "0.2"},
        {"petal_length": "6", "petal_width": "2.3", "sepal_length": "7.1"},
    ):
        for name, text in typed.items():
            type_into(qtbot, box(panel, f"Input {name}"), text)
        x = panel.inputs()
        expected = core_probabilities(iris_model, x)
        shown = bars(panel, classes)
        assert [b.value() for b in shown] == [round(p * 1000) for p in expected]
        assert [b.text() for b in shown] == [
            f"p({c}) = {p:.3f}" for c, p in zip(classes, expected, strict=True)
        ]
        assert sum(float(b.text().split("= ")[1]) for b in shown) == pytest.approx(1.0, abs=2e-3)
        best = classes[int(np.argmax(expected))]
        assert panel.predicted_class() == best
        assert named(panel, "Predicted class").text() == (
            f"Predicted class: {best} (p = {expected.max():.3f})"
        )
    assert panel.predicted_class() != "setosa", "long petals: not a setosa"


def test_two_classes_show_both_probabilities(panel, qtbot, spiral_model):
    show_model(panel, spiral_model)
    assert panel.classes() == ("-1", "1")
    type_into(qtbot, box(panel, "Input x1"), "2.5")
    p1 = float(spiral_model.predict(np.array([panel.inputs()]))[0, 0])
    low, high = bars(panel, ("-1", "1"))
    assert high.value() == round(p1 * 1000) and low.value() == round((1 - p1) * 1000)
    assert low.value() + high.value() in (999, 1000, 1001)
    assert (
        named(panel, "Predicted class")
        .text()
        .startswith(f"Predicted class: {'1' if p1 > 0.5 else '-1'} ")
    )


def test_a_new_predictor_forgets_the_old_probabilities(panel, spiral_model):
    from nngui.gui.predict_panel import class_probabilities

    show_model(panel, spiral_model)
    calls = []
    old = class_probabilities(spiral_model)
    panel.set_classifier(spiral_model.classes, lambda x: calls.append(x) or old(x))
    panel.set_inputs([0.5, 0.5])
    assert [x.tolist() for x in calls] == [[[0.0, 0.0]], [[0.5, 0.5]]], "one call an update"
    panel.set_predictor(["x1", "x2"], ["label"], spiral_model.predict)
    panel.set_inputs([1.0, 1.0])
    assert len(calls) == 2, "the old weights' probabilities were asked for"
    assert [b.text() for b in bars(panel, ("-1", "1"))] == ["p(-1) = —", "p(1) = —"]
    assert named(panel, "Predicted class").text() == "Predicted class: —"


def test_regression_is_unchanged_after_a_classifier(panel, iris_model):
    show_model(panel, iris_model)
    assert len(bars(panel, iris_model.classes)) == 3
    panel.set_predictor(["a", "b"], list(SEED_TARGETS), FakeNetwork(0.5))
    panel.set_classifier(None, None)
    assert panel.classes() == () and panel.probabilities() is None
    assert panel.table().isVisible() and not named(panel, "Predicted class").isVisible()
    assert panel.outputs_text() == ["100.5000", "-39.5000", "40.5000"]
    assert column(panel, 3) == ["0.5000", "0.5000", "0.5000"]
    with pytest.raises(AssertionError):
        named(panel, "Probability of setosa")


def test_nan_weights_leave_the_class_open(panel, iris_model):
    net = iris_model.network.copy()
    net.params[0][0, 0] = np.nan
    from dataclasses import replace

    show_model(panel, replace(iris_model, network=net))  # warnings are errors here
    assert panel.predicted_class() is None
    assert "not finite" in named(panel, "Predicted class").text()
    assert all(b.value() == 0 and b.text().endswith("nan") for b in bars(panel, iris_model.classes))
