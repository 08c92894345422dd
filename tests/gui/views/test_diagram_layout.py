"""The network diagram's layout maths: elision, edges, positions, styles and hit tests."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.gui.views import diagram_layout as dl


def test_titles_name_the_role_size_and_activation():
    assert dl.layer_title(0, 4, 2) == "input · 2"
    assert dl.layer_title(1, 4, 4, "relu") == "hidden 1 · 4 relu"
    assert dl.layer_title(3, 4, 3, "linear") == "output · 3 linear"
    assert [dl.short_title(k, 3, 5) for k in range(3)] == ["in · 5", "h1 · 5", "out · 5"]


@pytest.mark.parametrize("units", [1, 2, 11, 12])
def test_columns_up_to_the_limit_draw_every_unit(units):
    shown, gap = dl.elide(units, 12)
    np.testing.assert_array_equal(shown, np.arange(units))
    assert gap == -1


def test_wide_columns_draw_the_first_and_last_units_around_a_marker():
    shown, gap = dl.elide(256, 12)
    np.testing.assert_array_equal(shown, [0, 1, 2, 3, 4, 5, 251, 252, 253, 254, 255])
    assert gap == 6
    shown, gap = dl.elide(13, 12)
    np.testing.assert_array_equal(shown, [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12])
    shown, gap = dl.elide(9, 6)  # 3 first, 2 last, the marker in slot 3
    np.testing.assert_array_equal(shown, [0, 1, 2, 7, 8])
    assert gap == 3


def test_build_columns_counts_hidden_units_and_slots():
    columns = dl.build_columns([2, 256, 3], ["relu", "linear"], limit=12)
    assert [c.title for c in columns] == ["input · 2", "hidden 1 · 256 relu", "output · 3 linear"]
    assert [c.hidden for c in columns] == [0, 245, 0]
    assert [c.slots for c in columns] == [2, 12, 3]
    # neurons after the marker move down one slot
    np.testing.assert_array_equal(columns[1].slot_of(), [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11])


def test_edges_join_every_drawn_pair_row_major():
    columns = dl.build_columns([2, 3, 1], ["relu", "linear"])
    first, second = dl.build_edges(columns)
    np.testing.assert_array_equal(first.rows, [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(first.cols, [0, 1, 2, 0, 1, 2])
    np.testing.assert_array_equal(second.rows, [0, 1, 2])
    np.testing.assert_array_equal(second.cols, [0, 0, 0])


def test_edges_skip_elided_units():
    columns = dl.build_columns([2, 256, 3], ["relu", "linear"], limit=12)
    into, out = dl.build_edges(columns)
    assert len(into.rows) == 2 * 11 and len(out.rows) == 11 * 3
    assert set(into.cols) == {0, 1, 2, 3, 4, 5, 251, 252, 253, 254, 255}
    # position 6 of the drawn units is unit 251
    np.testing.assert_array_equal(into.cols[into.dst == 6], [251, 251])


def test_place_spreads_columns_and_centres_them_vertically():
    columns = dl.build_columns([2, 4, 1], ["relu", "linear"])
    edges = dl.build_edges(columns)
    p = dl.place(columns, edges, (10.0, 20.0, 410.0, 220.0), max_spacing=1000.0)
    np.testing.assert_allclose(p.xs, [10.0, 210.0, 410.0])
    spacing = 200.0 / 4  # the tallest column has 4 slots
    np.testing.assert_allclose(p.ys[1], [45.0, 95.0, 145.0, 195.0])
    np.testing.assert_allclose(p.ys[0], [120.0 - spacing / 2, 120.0 + spacing / 2])
    np.testing.assert_allclose(p.ys[2], [120.0])
    # radius: 0.3 of the slot spacing, at most 0.12 of the column step, within [2.5, 16]
    assert p.radius == pytest.approx(min(0.3 * 50.0, 0.12 * 200.0, 16.0))
    # W[0][1, 2] goes from input 1 to hidden unit 2
    k = 1 * 4 + 2
    np.testing.assert_allclose(p.segments[0][k], [10.0, p.ys[0][1], 210.0, p.ys[1][2]])
    assert np.isnan(p.gap_ys).all()


def test_place_caps_the_spacing_and_puts_the_marker_in_its_slot():
    columns = dl.build_columns([2, 20], ["relu"], limit=6)
    p = dl.place(columns, dl.build_edges(columns), (0.0, 0.0, 100.0, 1000.0), max_spacing=30.0)
    # 6 slots of 30 px centred on 500: slots at 425, 455, ..., 575; the marker in slot 3
    np.testing.assert_allclose(p.ys[1], [425.0, 455.0, 485.0, 545.0, 575.0])
    assert p.gap_ys[1] == pytest.approx(515.0)


def known_weights() -> list[np.ndarray]:
    return [np.array([[1.0, 0.25], [-0.5, 2.0]]), np.array([[-1.5], [0.75]])]


def test_edge_styles_scale_by_the_largest_weight_in_the_network():
    columns = dl.build_columns([2, 2, 1], ["relu", "linear"])
    styles = dl.edge_styles(known_weights(), dl.build_edges(columns), max_width=6.0, min_width=1.0)
    # row-major: W[0][0,0], W[0][0,1], W[0][1,0], W[0][1,1]; max |w| = 2
    np.testing.assert_allclose(styles[0].values, [1.0, 0.25, -0.5, 2.0])
    np.testing.assert_allclose(styles[0].strength, [0.5, 0.125, -0.25, 1.0])
    np.testing.assert_allclose(styles[0].widths, [3.0, 1.0, 1.5, 6.0])  # 0.75 → min 1
    np.testing.assert_allclose(styles[1].strength, [-0.75, 0.375])
    np.testing.assert_allclose(styles[1].widths, [4.5, 2.25])
    np.testing.assert_array_equal(styles[0].order, [1, 2, 0, 3])  # weakest first


def test_edge_styles_survive_nan_inf_and_zero_weights():
    columns = dl.build_columns([2, 2, 1], ["relu", "linear"])
    edges = dl.build_edges(columns)
    weights = [np.array([[np.nan, np.inf], [-np.inf, 0.5]]), np.array([[-1.0], [0.0]])]
    styles = dl.edge_styles(weights, edges, max_width=6.0, min_width=0.5)
    s = styles[0].strength
    assert np.isnan(s[0]) and s[1] == 1.0 and s[2] == -1.0 and s[3] == 0.5
    np.testing.assert_allclose(styles[0].widths, [0.5, 6.0, 6.0, 3.0])
    np.testing.assert_allclose(styles[1].widths, [6.0, 0.5])
    nothing = [np.full((2, 2), np.nan), np.zeros((2, 1))]
    styles = dl.edge_styles(nothing, edges, max_width=6.0, min_width=0.5)
    np.testing.assert_allclose(styles[1].widths, [0.5, 0.5])
    np.testing.assert_allclose(styles[1].strength, [0.0, 0.0])


def test_bias_strengths_use_the_scale_given_for_the_drawn_units():
    columns = dl.build_columns([2, 20, 1], ["relu", "linear"], limit=6)
    hidden = np.arange(20) - 10.0  # -10 … 9
    out = np.array([5.0])
    first, second = dl.bias_strengths([hidden, out], columns, 10.0)
    # drawn hidden units 0, 1, 2, 18, 19 with biases -10, -9, -8, 8, 9; scale 10
    np.testing.assert_allclose(first, [-1.0, -0.9, -0.8, 0.8, 0.9])
    np.testing.assert_allclose(second, [0.5])
    first, second = dl.bias_strengths([hidden, out], columns, 20.0)
    np.testing.assert_allclose(second, [0.25])


def test_weights_and_biases_share_one_scale():
    weights = known_weights()  # max |w| = 2
    tiny = [np.array([4e-05, -4e-05]), np.array([1e-05])]
    scale = dl.network_scale(weights, tiny)
    assert scale == 2.0
    columns = dl.build_columns([2, 2, 1], ["relu", "linear"])
    first, second = dl.bias_strengths(tiny, columns, scale)
    np.testing.assert_allclose(first, [2e-05, -2e-05])  # pale, not the deepest colour
    np.testing.assert_allclose(second, [5e-06])
    big = [np.array([np.nan, -8.0]), np.array([np.inf])]  # non-finite values do not count
    assert dl.network_scale(weights, big) == 8.0
    styles = dl.edge_styles(weights, dl.build_edges(columns), 6.0, 1.0, scale=8.0)
    np.testing.assert_allclose(styles[0].strength, [0.125, 0.03125, -0.0625, 0.25])
    np.testing.assert_allclose(styles[0].widths, [1.0, 1.0, 1.0, 1.5])
    assert dl.network_scale([np.zeros((2, 2))], [np.full(2, np.nan)]) == 0.0


def test_touching_marks_incoming_and_outgoing_lines():
    columns = dl.build_columns([2, 3, 2], ["relu", "linear"])
    edges = dl.build_edges(columns)
    into, out = dl.touching(edges, 1, 2)
    assert list(zip(edges[0].rows[into], edges[0].cols[into], strict=True)) == [(0, 2), (1, 2)]
    assert list(zip(edges[1].rows[out], edges[1].cols[out], strict=True)) == [(2, 0), (2, 1)]
    outgoing, other = dl.touching(edges, 0, 1)  # an input has only outgoing lines
    assert outgoing.sum() == 3 and set(edges[0].rows[outgoing]) == {1}
    assert not other.any()
    first, last = dl.touching(edges, 2, 0)  # an output only incoming ones
    assert not first.any() and last.sum() == 3


def test_hit_tests_find_neurons_markers_and_lines():
    columns = dl.build_columns([2, 20, 1], ["relu", "linear"], limit=6)
    p = dl.place(columns, dl.build_edges(columns), (0.0, 0.0, 200.0, 600.0))
    assert dl.neuron_at((100.0 + p.radius * 0.9, p.ys[1][3]), p) == (1, 3)
    assert dl.neuron_at((50.0, 300.0), p) is None
    assert dl.marker_at((100.0 + 20.0, p.gap_ys[1]), p, half_width=30.0) == 1
    assert dl.marker_at((100.0, p.ys[1][0]), p, half_width=30.0) is None
    # a point 3 px beside the line from input 0 to hidden position 4, a tenth along it (where
    # no other line passes near)
    x0, y0, x1, y1 = p.segments[0][4]
    mx, my = x0 + 0.1 * (x1 - x0), y0 + 0.1 * (y1 - y0)
    nx, ny = -(y1 - y0), x1 - x0
    norm = np.hypot(nx, ny)
    assert dl.segment_at((mx + 3 * nx / norm, my + 3 * ny / norm), p.segments) == (0, 4)
    assert dl.segment_at((mx + 30 * nx / norm, my + 30 * ny / norm), p.segments) != (0, 4)


def test_format_number_uses_four_significant_digits():
    assert dl.format_number(-0.5) == "-0.5"
    assert dl.format_number(0.123456) == "0.1235"
    assert dl.format_number(12345.0) == "1.234e+04"
    assert dl.format_number(float("nan")) == "nan"


def test_structure_words_what_people_read():
    s = dl.Structure.build([2, 20, 3], ["relu", "linear"], ("a", "b"), ("a+b", "a-b"), limit=6)
    assert s.key == ((2, 20, 3), ("relu", "linear"), ("a", "b"), ("a+b", "a-b"))
    assert [s.neuron_name(0, 1), s.neuron_name(1, 4), s.neuron_name(2, 1)] == [
        "b",
        "hidden 1 #5",
        "a-b",
    ]
    assert s.neuron_name(2, 2) == "output #3"  # more outputs than names
    k = s.edge_index(0, 1, 19)  # input b to the last hidden unit: row 1, position 4 of 5
    assert k == 1 * 5 + 4
    assert s.edge_text(0, k, -0.5) == "W1 from b to hidden 1 #20 = -0.5"
    assert s.edge_text(1, s.edge_index(1, 18, 0), 1.25) == "W2 from hidden 1 #19 to a+b = 1.25"
    with pytest.raises(KeyError):
        s.edge_index(0, 0, 10)  # hidden unit 10 is elided
    with pytest.raises(KeyError):
        s.position(1, 10)
    assert s.position(1, 18) == 3
    assert s.neuron_text(1, 2, 0.125) == "hidden 1 #3 (layer 1, relu): bias = 0.125"
    assert s.neuron_text(2, 0, -2.0) == "output a+b (layer 2, linear): bias = -2"
    assert s.neuron_text(2, 2, 0.0) == "output #3 (layer 2, linear): bias = 0"
    assert s.neuron_text(0, 0, np.nan) == "input a (layer 0): the standardised input, no bias"
    # 20 units, limit 6: units 0-2 and 18-19 drawn; #4 to #18 (1-based) are not
    assert s.marker_text(1) == "hidden 1 · 20 relu: 15 more units not drawn (#4 to #18)"
    assert s.header_text(1) == "hidden 1 · 20 relu (5 of 20 units drawn)"
    assert s.header_text(0) == "input · 2"
    assert s.selection_text(1, 19).startswith(
        "hidden 1 #20 selected: 2 of 2 incoming and 3 of 3 outgoing weights highlighted."
    )
    assert s.selection_text(2, 0).startswith("a+b selected: 5 of 20 incoming weights")
