"""The Decision map view: colours from the core's class probabilities, points with their
classes and mistakes, the toggles, other data's axes, and the notes when there is no map."""

from __future__ import annotations

import numpy as np
import pytest
from widget_actions import combo, named

from nngui.core.data import DataSpec
from nngui.core.decision_map import decision_grid, playground_plane, point_classes
from nngui.core.model import Model
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.setup import fresh_start
from nngui.core.training import TrainConfig, Trainer
from nngui.gui.class_colours import class_colours
from nngui.gui.views.base import ViewState
from nngui.gui.views.decision_map_view import (
    MAX_SHADE,
    NOT_A_CLASSIFIER,
    RESOLUTION,
    DecisionMapView,
    map_image,
)


@pytest.fixture
def view(qtbot):
    v = DecisionMapView()
    qtbot.addWidget(v)
    v.resize(700, 520)
    v.show()
    return v


def state_of(spec, layers, epochs: int) -> ViewState:
    ds, net = fresh_start(spec, layers)
    Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=epochs)).run()
    return ViewState(Model.from_dataset(net.copy(), ds), ds, epochs)


@pytest.fixture(scope="module")
def circle() -> ViewState:
    return state_of(PlaygroundSpec(dataset="circle", points=300),
                    [LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")], 120)  # fmt: skip


def test_the_colours_are_the_cores_predicted_classes_shaded_by_probability(view, circle):
    view.show_state(circle)
    image = view.image_data()
    assert image.shape == (RESOLUTION, RESOLUTION, 4)
    grid = decision_grid(circle.model, playground_plane(circle.dataset), RESOLUTION)
    orange, blue = class_colours(("-1", "1"))
    for j, i in [(0, 0), (40, 40), (10, 70), (79, 5)]:
        p = grid.probabilities[j, i]
        k = int(np.argmax(p))
        shade = MAX_SHADE * (2 * p[k] - 1)  # 1/K white … 1 the shade's full strength
        expected = 255 * (1 - shade) + (orange, blue)[k] * shade
        np.testing.assert_allclose(image[j, i, :3], expected, atol=0.51)
    centre, corner = image[40, 40, :3], image[0, 0, :3]
    assert (centre[2] > centre[0]) != (corner[2] > corner[0]), "inside and ring differ"


def test_discretize_shows_hard_regions(view, circle):
    view.show_state(circle)
    named(view, "Discretize").click()
    image = view.image_data()[..., :3].reshape(-1, 3)
    assert len(np.unique(image, axis=0)) == 2
    grid = view.grid
    np.testing.assert_array_equal(image, map_image(grid, class_colours(("-1", "1")), True)
                                  [..., :3].reshape(-1, 3))  # fmt: skip


def test_points_are_drawn_in_their_true_class_and_mistakes_are_crossed(view, circle):
    view.show_state(circle)
    plane = view.plane
    test = point_classes(circle.model, circle.dataset, plane, "test")
    assert len(view.test_dots.data) == len(circle.dataset.test)
    assert len(view.train_dots.data) == len(circle.dataset.train)
    train = view.points("train")
    n_wrong = int(test.wrong.sum() + train.wrong.sum())
    assert len(view.wrong_marks.data) == n_wrong
    summary = named(view, "Decision map summary").text()
    right = int((~test.wrong).sum())
    assert f"test {right:,} of {len(test.true):,} right" in summary
    named(view, "Show test points").click()
    assert len(view.test_dots.data) == 0
    assert len(view.wrong_marks.data) == int(train.wrong.sum())
    named(view, "Mark misclassified points").click()
    assert len(view.wrong_marks.data) == 0


def test_the_readout_gives_the_class_and_probabilities(view, circle):
    view.show_state(circle)
    text = view.readout_at(0.0, 0.0)
    p = circle.model.predict(np.array([[0.0, 0.0]]))[0, 0]
    assert text.startswith("x1 = 0, x2 = 0 · class ")
    assert f"p(1) = {p:.3f}" in text and f"p(-1) = {1 - p:.3f}" in text


def test_a_regression_says_the_map_is_for_classifiers(view):
    ds, net = fresh_start(DataSpec(samples=60), [LayerSpec(3, "linear")])
    view.show_state(ViewState(Model.from_dataset(net, ds), ds))
    assert named(view, "Empty view note").text() == NOT_A_CLASSIFIER
    view.show_state(None)
    assert "No network yet" in named(view, "Empty view note").text()


def test_wider_data_chooses_two_inputs_and_holds_the_others(view, tmp_path):
    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_source import CsvSpec

    rng = np.random.default_rng(3)
    rows = [f"{a:.3f},{b:.3f},{c:.3f},{['r', 'g', 'b'][int(a > 0) + int(c > 0)]}\n"
            for a, b, c in rng.normal(size=(150, 3))]  # fmt: skip
    path = tmp_path / "three.csv"
    path.write_text("a,b,c,colour\n" + "".join(rows))
    spec = CsvSpec(str(path), ("a", "b", "c"), ("colour",), sniff(path))
    state = state_of(spec, [LayerSpec(6, "tanh"), LayerSpec(3, "softmax")], 40)
    view.show_state(state)
    across, up = combo(view, "Decision map across"), combo(view, "Decision map up")
    assert across.isVisible() and [across.itemText(i) for i in range(3)] == ["a", "b", "c"]
    assert view.plane.names == ("a", "b")
    up.setCurrentIndex(2)
    assert view.plane.names == ("a", "c")
    across.setCurrentIndex(2)  # the same input on both axes: the other one moves
    assert view.plane.names[0] == "c" and view.plane.names[1] != "c"
    assert view.grid.probabilities.shape == (RESOLUTION, RESOLUTION, 3)
    held = np.array([0.5, 1.5, -0.5])
    view.set_held(held)
    assert view.plane.to_inputs(np.array([[0.0, 0.0]]))[0, 1] == 1.5
    legend = named(view, "Decision map legend").text()
    assert all(f"&nbsp;{c}" in legend for c in state.model.classes)


def test_non_finite_weights_draw_grey_without_warnings(view):
    state = state_of(PlaygroundSpec(dataset="gauss", points=60),
                     [LayerSpec(3, "relu"), LayerSpec(1, "sigmoid")], 1)  # fmt: skip
    state.network.params[0][:] = np.nan
    view.show_state(state)
    assert (view.image_data()[..., :3] == 160).all()
    assert "no class" in view.readout_at(0.0, 0.0)
