"""The Network view: a diagram of a network with known weights shows the right colours, widths,
texts and highlights; it copes with wide layers, NaN weights, no state and changing networks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import QLabel, QToolTip
from widget_actions import named

from nngui.core.data import DataSpec, make_dataset
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.gui.views import diagram_layout as dl
from nngui.gui.views.base import ViewState
from nngui.gui.views.network_diagram import DIMMED_OPACITY, EMPTY_MESSAGE
from nngui.gui.views.network_view import NetworkView

# The known network: 2 inputs → 2 relu → 1 linear. max |w| = 2, max |b| = 0.6.
W0 = np.array([[1.0, 0.25], [-0.5, 2.0]])
B0 = np.array([0.3, -0.6])
W1 = np.array([[-1.5], [0.75]])
B1 = np.array([0.1])
ORANGE, BLUE = (0xD5, 0x5E, 0x00), (0x00, 0x72, 0xB2)  # the light palette's sign colours


def state_for(
    params: list[np.ndarray], layers: list[LayerSpec], targets=("a+b",), epoch: int = 7
) -> ViewState:
    ds = make_dataset(DataSpec(samples=20, targets=targets), np.random.RandomState(0))
    net = Network(2, layers, params)
    return ViewState(Model.from_dataset(net, ds), ds, epoch)


def known_state(epoch: int = 7) -> ViewState:
    params = [np.vstack([W0, B0]), np.vstack([W1, B1])]
    return state_for(params, [LayerSpec(2, "relu"), LayerSpec(1, "linear")], epoch=epoch)


def random_state(sizes: list[int], seed: int = 1, targets=None) -> ViewState:
    rng = np.random.RandomState(seed)
    layers = [LayerSpec(u, "tanh") for u in sizes[1:-1]] + [LayerSpec(sizes[-1], "linear")]
    targets = targets or ("a+b", "a-b", "|a-b|", "a*b", "max(a,b)", "min(a,b)")[: sizes[-1]]
    net = Network.initialise(2, layers, rng)
    return state_for(net.params, layers, targets=targets)


@pytest.fixture
def view(qtbot):
    v = NetworkView()
    palette = v.palette()  # a light background: blue positive, vermillion negative
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    v.setPalette(palette)
    qtbot.addWidget(v)
    v.resize(860, 560)
    v.show()
    qtbot.waitExposed(v)
    v.show_state(known_state())
    return v


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def towards(colour, opacity: float, base=(255, 255, 255)) -> list[float]:
    """``colour`` drawn with ``opacity`` over ``base`` (lines are pre-blended, opaque)."""
    return [b + (c - b) * opacity for b, c in zip(base, colour, strict=True)]


def line_opacity(w: float, max_w: float) -> float:
    return 0.35 + 0.65 * abs(w) / max_w


def test_lines_are_coloured_by_sign_and_sized_by_relative_magnitude(view):
    d = view.diagram()
    negative = d.edge_pen(0, 1, 0)  # W[0][1, 0] = -0.5
    assert negative.widthF() == pytest.approx(dl.MAX_WIDTH * 0.5 / 2.0)
    # weak lines fade towards the (white) background: opacity 0.35 + 0.65 × 0.25
    np.testing.assert_allclose(rgb(negative.color()), towards(ORANGE, 0.35 + 0.65 * 0.25), atol=1)
    strongest = d.edge_pen(0, 1, 1)  # W[0][1, 1] = 2.0, the largest |w|
    assert rgb(strongest.color()) == BLUE
    assert strongest.widthF() == pytest.approx(dl.MAX_WIDTH)
    second = d.edge_pen(1, 0, 0)  # W[1][0, 0] = -1.5
    np.testing.assert_allclose(rgb(second.color()), towards(ORANGE, line_opacity(1.5, 2)), atol=1)
    assert second.widthF() == pytest.approx(dl.MAX_WIDTH * 1.5 / 2.0)
    weak = d.edge_pen(0, 0, 1)  # 0.25 → 0.75 px, above the minimum
    assert weak.widthF() == pytest.approx(max(dl.MIN_WIDTH, dl.MAX_WIDTH * 0.25 / 2.0))


def test_dark_palettes_use_lighter_sign_colours(view):
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    view.setPalette(palette)
    d = view.diagram()
    dark = (0x20, 0x20, 0x20)
    orange, sky = (0xE6, 0x9F, 0x00), (0x56, 0xB4, 0xE9)
    faded = towards(orange, line_opacity(0.5, 2), base=dark)
    np.testing.assert_allclose(rgb(d.edge_pen(0, 1, 0).color()), faded, atol=1)
    assert d.edge_pen(0, 1, 1).color().name() == "#56b4e9"
    # fills share the lines' scale, max |w or b| = 2: -0.6 → 0.3 of the way, +0.3 → 0.15
    np.testing.assert_allclose(rgb(d.neuron_fill(1, 1)), towards(orange, 0.3, base=dark), atol=1)
    np.testing.assert_allclose(rgb(d.neuron_fill(1, 0)), towards(sky, 0.15, base=dark), atol=1)
    assert "#e69f00" in named(view, "Legend", QLabel).text()


def test_columns_are_titled_and_neurons_named(view):
    d = view.diagram()
    assert d.titles() == ["input · 2", "hidden 1 · 2 relu", "output · 1 linear"]
    assert [d.structure().neuron_name(0, 0), d.structure().neuron_name(0, 1)] == ["a", "b"]
    assert d.structure().neuron_name(1, 1) == "hidden 1 #2"
    assert d.structure().neuron_name(2, 0) == "a+b"
    assert d.markers() == ["", "", ""]


def test_hovering_a_line_shows_its_value(view, qtbot):
    d = view.diagram()
    qtbot.mouseMove(d, d.edge_point(0, 1, 0))
    assert view.info_text() == "W1 from b to hidden 1 #1 = -0.5"
    qtbot.mouseMove(d, d.edge_point(1, 1, 0))
    assert view.info_text() == "W2 from hidden 1 #2 to a+b = 0.75"


def test_tooltip_shows_the_value_under_the_mouse(view):
    d = view.diagram()
    pos = d.edge_point(0, 1, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, d.mapToGlobal(pos))
    d.event(event)
    assert QToolTip.text() == "W1 from b to hidden 1 #1 = -0.5"
    QToolTip.hideText()


def test_neurons_show_their_bias_in_fill_and_text(view, qtbot):
    d = view.diagram()
    qtbot.mouseMove(d, d.neuron_point(1, 1))
    assert view.info_text() == "hidden 1 #2 (layer 1, relu): bias = -0.6"
    qtbot.mouseMove(d, d.neuron_point(2, 0))
    assert view.info_text() == "output a+b (layer 2, linear): bias = 0.1"
    qtbot.mouseMove(d, d.neuron_point(0, 0))
    assert "input a" in view.info_text() and "no bias" in view.info_text()
    # fill: white blended towards the sign colour by |b| / max |w or b| (= 2, a weight)
    np.testing.assert_allclose(rgb(d.neuron_fill(1, 1)), towards(ORANGE, 0.3), atol=1)  # -0.6
    np.testing.assert_allclose(rgb(d.neuron_fill(1, 0)), towards(BLUE, 0.15), atol=1)  # +0.3
    np.testing.assert_allclose(rgb(d.neuron_fill(2, 0)), towards(BLUE, 0.05), atol=1)  # 0.1


def test_tiny_biases_are_pale_beside_large_weights(view):
    tiny = 4e-05  # a freshly initialised network: biases near 0, weights near 1
    params = [np.vstack([W0, [tiny, -tiny]]), np.vstack([W1, [tiny]])]
    view.show_state(state_for(params, [LayerSpec(2, "relu"), LayerSpec(1, "linear")]))
    d = view.diagram()
    for layer, unit in ((1, 0), (1, 1), (2, 0)):
        assert rgb(d.neuron_fill(layer, unit)) == (255, 255, 255)  # 2e-05 of the way: white
    assert rgb(d.edge_pen(0, 1, 1).color()) == BLUE  # the largest |w| keeps full strength


def test_a_bias_larger_than_every_weight_sets_the_scale(view):
    params = [np.vstack([W0, [4.0, -0.6]]), np.vstack([W1, B1])]  # max |w or b| = 4
    view.show_state(state_for(params, [LayerSpec(2, "relu"), LayerSpec(1, "linear")]))
    d = view.diagram()
    assert rgb(d.neuron_fill(1, 0)) == BLUE
    assert d.edge_pen(0, 1, 1).widthF() == pytest.approx(dl.MAX_WIDTH * 2.0 / 4.0)
    assert "largest |weight| or |bias|" in named(view, "Legend", QLabel).text()


def test_clicking_a_neuron_highlights_exactly_its_lines(view, qtbot):
    d = view.diagram()
    qtbot.mouseClick(d, Qt.MouseButton.LeftButton, pos=d.neuron_point(1, 0))
    assert d.selected() == (1, 0)
    assert d.highlighted() == {(0, 0, 0), (0, 1, 0), (1, 0, 0)}
    dimmed = towards(BLUE, DIMMED_OPACITY)  # W[0][1, 1] = 2 does not touch hidden 1 #1
    np.testing.assert_allclose(rgb(d.edge_pen(0, 1, 1).color()), dimmed, atol=1)
    outgoing = rgb(d.edge_pen(1, 0, 0).color())  # W[1][0, 0] = -1.5: outgoing, not dimmed
    np.testing.assert_allclose(outgoing, towards(ORANGE, line_opacity(1.5, 2)), atol=1)
    qtbot.mouseMove(d, QPoint(d.width() - 3, d.height() - 3))
    assert view.info_text().startswith("hidden 1 #1 selected: 2 of 2 incoming and 1 of 1")
    qtbot.mouseClick(d, Qt.MouseButton.LeftButton, pos=d.neuron_point(1, 0))  # same: clear
    assert d.selected() is None and d.highlighted() == set()
    qtbot.mouseClick(d, Qt.MouseButton.LeftButton, pos=d.neuron_point(0, 1))
    assert d.highlighted() == {(0, 1, 0), (0, 1, 1)}
    qtbot.mouseClick(d, Qt.MouseButton.LeftButton, pos=QPoint(d.width() - 3, d.height() - 3))
    assert d.selected() is None


def test_wide_layers_are_elided_with_a_count(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(860, 560)
    view.show_state(random_state([2, 256, 3]))
    d = view.diagram()
    assert d.titles()[1] == "hidden 1 · 256 tanh"
    assert d.markers() == ["", "… 245 more", ""]
    d.select(2, 0)  # an output: 11 of 256 incoming lines are drawn
    assert d.highlighted() == {(1, i, 0) for i in [0, 1, 2, 3, 4, 5, 251, 252, 253, 254, 255]}
    assert "11 of 256 incoming" in view.info_text()
    with pytest.raises(KeyError):
        d.edge_pen(0, 0, 100)  # unit 100 is not drawn
    x, y = d.neuron_point(1, 5).x(), (d.neuron_point(1, 5).y() + d.neuron_point(1, 251).y()) // 2
    assert d.describe_target(d.target_at(QPoint(x, y))) == (
        "hidden 1 · 256 tanh: 245 more units not drawn (#7 to #251)"
    )
    view.grab()  # paints


def test_nan_and_inf_weights_draw_without_errors(qtbot, view):
    params = [np.vstack([W0, B0]), np.vstack([W1, B1])]
    params[0][0, 0] = np.nan
    params[0][1, 1] = np.inf
    params[0][2, 1] = np.nan  # a bias
    view.show_state(state_for(params, [LayerSpec(2, "relu"), LayerSpec(1, "linear")]))
    d = view.diagram()
    nan_pen = d.edge_pen(0, 0, 0)
    assert nan_pen.style() == Qt.PenStyle.DashLine and nan_pen.widthF() == dl.MIN_WIDTH
    assert d.edge_pen(0, 1, 1).widthF() == dl.MAX_WIDTH  # inf: the widest
    # the scale is the largest finite |w|: 1.5
    assert d.edge_pen(0, 1, 0).widthF() == pytest.approx(dl.MAX_WIDTH * 0.5 / 1.5)
    assert d.describe_target(("edge", 0, 0)) == "W1 from a to hidden 1 #1 = nan"
    assert d.describe_target(("neuron", 1, 1)).endswith("bias = nan")
    view.grab()
    everything_nan = [np.full_like(p, np.nan) for p in params]
    view.show_state(state_for(everything_nan, [LayerSpec(2, "relu"), LayerSpec(1, "linear")]))
    assert d.edge_pen(1, 0, 0).widthF() == dl.MIN_WIDTH
    view.grab()


def test_no_state_clears_the_view_with_a_message(view):
    d = view.diagram()
    d.select(1, 0)
    view.show_state(None)
    assert d.message() == EMPTY_MESSAGE
    assert d.titles() == [] and d.selected() is None
    assert d.target_at(QPoint(100, 100)) is None
    assert named(view, "Legend", QLabel).isHidden()
    view.grab()
    view.show_state(known_state())
    assert d.message() == "" and not named(view, "Legend", QLabel).isHidden()
    assert view.info_text().startswith("Epoch 7.")


def test_updates_follow_the_network(view):
    d = view.diagram()
    d.select(1, 1)
    # same shapes, new weights: restyled in place, the selection kept
    params = [np.vstack([-W0, B0]), np.vstack([W1, B1])]
    view.show_state(state_for(params, [LayerSpec(2, "relu"), LayerSpec(1, "linear")]))
    assert rgb(d.edge_pen(0, 1, 1).color()) == ORANGE  # now -2, into the selected neuron
    now = rgb(d.edge_pen(0, 1, 0).color())  # now +0.5, dimmed: it misses the selection
    np.testing.assert_allclose(now, towards(BLUE, DIMMED_OPACITY), atol=1)
    d.clear_selection()
    now = rgb(d.edge_pen(0, 1, 0).color())
    np.testing.assert_allclose(now, towards(BLUE, line_opacity(0.5, 2)), atol=1)
    d.select(1, 1)
    assert d.selected() == (1, 1)
    # other sizes: rebuilt; the selected neuron still exists so it stays selected
    view.show_state(random_state([2, 5, 4, 3]))
    assert d.titles() == [
        "input · 2",
        "hidden 1 · 5 tanh",
        "hidden 2 · 4 tanh",
        "output · 3 linear",
    ]
    assert d.selected() == (1, 1)
    assert d.highlighted() == {(0, 0, 1), (0, 1, 1)} | {(1, 1, j) for j in range(4)}
    assert [d.structure().neuron_name(3, k) for k in range(3)] == ["a+b", "a-b", "|a-b|"]
    # a network without that neuron: the selection goes
    view.show_state(random_state([2, 1, 3]))
    assert d.selected() is None
    assert d.titles()[1] == "hidden 1 · 1 tanh"


def test_diagram_fits_the_widget_when_resized(view, qtbot):
    d = view.diagram()
    view.resize(500, 320)
    qtbot.waitUntil(lambda: d.width() < 500)
    small = [d.neuron_point(2, 0), d.neuron_point(0, 0)]
    view.resize(1200, 800)
    qtbot.waitUntil(lambda: d.width() > 1000)
    large = [d.neuron_point(2, 0), d.neuron_point(0, 0)]
    assert large[0].x() - large[1].x() > small[0].x() - small[1].x() + 500
    for layer, unit in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)]:
        assert d.rect().contains(d.neuron_point(layer, unit))


def test_header_hover_names_the_layer(view):
    d = view.diagram()
    x = d.neuron_point(1, 0).x()
    assert d.describe_target(d.target_at(QPoint(x, 12))) == "hidden 1 · 2 relu"


def test_live_refreshes_of_a_bigger_network_keep_its_shape(view):
    """(What a refresh costs is bench/bench_views.py's to measure, not a test's.)"""
    for seed in (1, 2, 3):
        view.show_state(random_state([2, 32, 32, 3], seed=seed))
        view.repaint()
    structure = view.diagram().structure()
    assert structure is not None and structure.neuron_name(2, 31) == "hidden 2 #32"
