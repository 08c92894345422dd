"""Neuron maps in the Network view: each neuron drawn as its activation over the input plane,
equal to the core's maps; the toggle, the hover enlargement, live updates and the networks the
maps are not drawn for."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QCheckBox, QLabel
from widget_actions import named

from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.neuron_maps import activation_centre, diverging_strength, neuron_maps
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.setup import start_on
from nngui.core.training import TrainConfig, Trainer
from nngui.gui.views import diagram_layout as dl
from nngui.gui.views.base import ViewState
from nngui.gui.views.network_diagram import ENLARGE, ENLARGED_SIDE, Colours, map_rgba
from nngui.gui.views.network_view import MAP_RESOLUTION, MAPS_TIP, NetworkView

LAYERS = [LayerSpec(6, "tanh"), LayerSpec(4, "tanh"), LayerSpec(1, "sigmoid")]


@pytest.fixture(scope="module")
def trained():
    """The circle set and a 2-6-4-1 classifier trained on it for 50 epochs."""
    ds = make_playground_dataset(PlaygroundSpec(dataset="circle", points=200))
    ds, net = start_on(ds, LAYERS)
    Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=50)).run()
    return ds, net


def state_of(ds, net: Network, epoch: int = 50) -> ViewState:
    return ViewState(Model.from_dataset(net.copy(), ds), ds, epoch)


@pytest.fixture
def view(qtbot, trained):
    v = NetworkView()
    palette = v.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    v.setPalette(palette)
    qtbot.addWidget(v)
    v.resize(860, 560)
    v.show()
    qtbot.waitExposed(v)
    v.show_state(state_of(*trained))
    return v


def toggle(view) -> QCheckBox:
    return named(view, "Neuron maps", QCheckBox)


def expected_rgba(view, state: ViewState, layer: int, unit: int) -> np.ndarray:
    """The image the core's maps give a neuron, coloured as the docstring says."""
    maps = neuron_maps(state.model, state.dataset, resolution=MAP_RESOLUTION)
    net = state.network
    centre = activation_centre(net.layers[layer - 1].activation, net.sizes[layer]) if layer else 0
    strength = diverging_strength(maps.neuron(layer, unit), centre)
    return map_rgba(strength, Colours.from_palette(view.diagram().palette()))


def painted_mean(view, rect: QRectF, inset: float = 3.0) -> np.ndarray:
    """The mean RGB the diagram painted inside ``rect`` (less an inset for the outline)."""
    image = view.diagram().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    ratio = image.devicePixelRatio()
    r = rect.adjusted(inset, inset, -inset, -inset)
    pixels = [
        image.pixelColor(round(x * ratio), round(y * ratio))
        for x in np.linspace(r.left(), r.right(), 12)
        for y in np.linspace(r.top(), r.bottom(), 12)
    ]
    return np.mean([[c.red(), c.green(), c.blue()] for c in pixels], axis=0)


def thumbnail_rect(view, layer: int, unit: int) -> QRectF:
    d = view.diagram()
    c, r = d.neuron_point(layer, unit), d_radius(view)
    return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)


def d_radius(view) -> float:
    return view.diagram()._placement.radius


def test_a_classifier_shows_every_neuron_as_its_core_map(view, trained):
    state = state_of(*trained)
    assert toggle(view).isChecked() and toggle(view).isEnabled()
    assert toggle(view).toolTip() == MAPS_TIP and view.maps_reason() == ""
    d = view.diagram()
    assert d.maps_shown()
    maps = neuron_maps(state.model, state.dataset, resolution=MAP_RESOLUTION)
    for layer, units in enumerate(state.network.sizes):
        for unit in range(units):
            np.testing.assert_allclose(d.neuron_map(layer, unit), maps.neuron(layer, unit))
            np.testing.assert_array_equal(
                d.thumbnail(layer, unit), expected_rgba(view, state, layer, unit)
            )
    # x1 grows across and x2 upwards: the inputs' maps are orange left / below, blue right / up
    x1, x2 = d.thumbnail(0, 0)[..., :3].astype(int), d.thumbnail(0, 1)[..., :3].astype(int)
    assert x1[:, 0, 0].min() > x1[:, 0, 2].max() and x1[:, -1, 2].min() > x1[:, -1, 0].max()
    assert x2[0, :, 2].min() > x2[0, :, 0].max() and x2[-1, :, 0].min() > x2[-1, :, 2].max()
    # the output's map has both classes: orange (p < 0.5) and blue (p > 0.5) parts
    output = d.thumbnail(3, 0)
    assert output.shape == (MAP_RESOLUTION, MAP_RESOLUTION, 4)
    colours = Colours.from_palette(d.palette())
    for sign in (colours.positive, colours.negative):
        rgb = np.array([sign.red(), sign.green(), sign.blue()])
        assert (np.abs(output[..., :3].astype(int) - rgb).max(axis=2) < 40).any(), sign.name()
    # and that image is what is painted where the neuron is
    np.testing.assert_allclose(
        painted_mean(view, thumbnail_rect(view, 3, 0)),
        output[2:-2, 2:-2, :3].reshape(-1, 3).mean(axis=0),
        atol=14,
    )
    assert "each neuron is a map" in named(view, "Legend", QLabel).text()
    assert "x1 across, x2 up" in named(view, "Legend", QLabel).text()


def test_toggling_off_draws_the_bias_filled_neurons_again(view, qtbot, trained):
    d = view.diagram()
    with_maps = painted_mean(view, thumbnail_rect(view, 3, 0))
    qtbot.mouseClick(toggle(view), Qt.MouseButton.LeftButton)
    assert not toggle(view).isChecked()
    assert not d.maps_shown() and d.thumbnail(1, 0) is None and d.neuron_map(3, 0) is None
    fill = d.neuron_fill(3, 0)
    centre = d.neuron_point(3, 0)
    small = QRectF(centre.x() - 2, centre.y() - 2, 4, 4)
    np.testing.assert_allclose(
        painted_mean(view, small, inset=0), [fill.red(), fill.green(), fill.blue()], atol=3
    )
    assert not np.allclose(with_maps, painted_mean(view, thumbnail_rect(view, 3, 0)), atol=3)
    assert "neuron fill = bias" in named(view, "Legend", QLabel).text()
    # the choice stays while training goes on
    ds, net = trained
    view.show_live_state(state_of(ds, net, 51))
    assert not toggle(view).isChecked() and not d.maps_shown()
    qtbot.mouseClick(toggle(view), Qt.MouseButton.LeftButton)
    assert d.maps_shown()


def test_hovering_a_neuron_enlarges_its_map_beside_it(view, qtbot, trained):
    d = view.diagram()
    state = state_of(*trained)
    assert d.enlarged() is None
    qtbot.mouseMove(d, d.neuron_point(1, 2))
    card = d.enlarged()
    assert card is not None and (card.layer, card.unit) == (1, 2)
    assert card.title == "hidden 1 #3 (tanh)"
    lo, hi = neuron_maps(state.model, state.dataset, resolution=MAP_RESOLUTION).value_range(1, 2)
    assert card.range_text.splitlines() == [
        f"min {dl.format_number(lo)} · max {dl.format_number(hi)}",
        "x1 across, x2 up",
    ]
    side = float(np.clip(ENLARGE * 2 * d_radius(view), *ENLARGED_SIDE))
    assert card.image.width() == pytest.approx(side) and side >= 3 * 2 * d_radius(view)
    assert not card.card.intersects(thumbnail_rect(view, 1, 2))  # beside it, not over it
    assert QRectF(d.rect()).contains(card.card)
    np.testing.assert_allclose(
        painted_mean(view, card.image, inset=4),
        d.thumbnail(1, 2)[1:-1, 1:-1, :3].reshape(-1, 3).mean(axis=0),
        atol=14,
    )
    # hovering still reads the neuron out, and the output's card goes left of it
    assert view.info_text().startswith("hidden 1 #3 (layer 1, tanh): bias = ")
    qtbot.mouseMove(d, d.neuron_point(3, 0))
    card = d.enlarged()
    assert card.title == "output label (sigmoid)" and card.card.right() < d.neuron_point(3, 0).x()
    qtbot.mouseMove(d, QPoint(d.width() - 3, d.height() - 3))
    assert d.enlarged() is None
    # clicking still highlights the neuron's weights
    qtbot.mouseClick(d, Qt.MouseButton.LeftButton, pos=d.neuron_point(2, 1))
    assert d.selected() == (2, 1)


def test_maps_follow_live_training(view, trained):
    ds, net = trained
    moved = net.copy()
    moved.param_vector[:] += np.random.RandomState(0).randn(moved.param_vector.size) * 0.5
    state = state_of(ds, moved, 60)
    before = view.diagram().thumbnail(2, 0).copy()
    view.show_live_state(state)
    d = view.diagram()
    maps = neuron_maps(state.model, ds, resolution=MAP_RESOLUTION)
    np.testing.assert_allclose(d.neuron_map(2, 0), maps.neuron(2, 0))
    np.testing.assert_array_equal(d.thumbnail(2, 0), expected_rgba(view, state, 2, 0))
    assert not np.array_equal(before, d.thumbnail(2, 0))


def test_a_one_input_regression_network_disables_the_maps_with_a_reason(view):
    ds = make_playground_dataset(PlaygroundSpec(dataset="plane", points=60, features=("x1",)))
    ds, net = start_on(ds, [LayerSpec(3, "tanh"), LayerSpec(1, "linear")])
    view.show_state(state_of(ds, net))
    assert not toggle(view).isEnabled() and not toggle(view).isChecked()
    assert "this network has 1" in toggle(view).toolTip()
    assert view.maps_reason() == toggle(view).toolTip()
    assert not view.diagram().maps_shown()
    view.show_state(None)
    assert not toggle(view).isEnabled() and "no network" in view.maps_reason()


def test_a_big_network_starts_without_maps_but_can_have_them(view, qtbot, trained):
    ds, _ = trained
    layers = [LayerSpec(60, "relu"), LayerSpec(50, "relu"), LayerSpec(1, "sigmoid")]
    net = Network.initialise(2, layers, np.random.RandomState(4))
    view.show_state(state_of(ds, net))
    assert toggle(view).isEnabled() and not toggle(view).isChecked()
    assert "111 neurons" in view.maps_reason()
    qtbot.mouseClick(toggle(view), Qt.MouseButton.LeftButton)
    d = view.diagram()
    assert d.maps_shown() and d.thumbnail(1, 59) is not None  # a drawn unit of an elided layer
    view.grab()
    # back to the small network: its default (on) again
    view.show_state(state_of(*trained))
    assert toggle(view).isChecked()


def test_non_finite_weights_draw_grey_maps_quietly(view, trained):
    ds, net = trained
    broken = net.copy()
    broken.params[0][0, 0] = np.nan
    view.show_state(state_of(ds, broken))
    d = view.diagram()
    nan = Colours.from_palette(d.palette()).nan
    assert (d.thumbnail(1, 0)[..., :3] == [nan.red(), nan.green(), nan.blue()]).all()
    assert (d.thumbnail(3, 0)[..., :3] == [nan.red(), nan.green(), nan.blue()]).all()
    view.diagram().grab()
