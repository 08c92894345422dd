"""The error map on a CSV file's data: the prediction over two numeric inputs, the rows on top."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel
from widget_actions import combo, named

from nngui.core.csv_dialect import sniff
from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.gui.views.base import ViewState
from nngui.gui.views.error_map_view import ErrorMapView


def csv_state(tmp_path, inputs=("dose", "p", "kind", "q")) -> ViewState:
    path = tmp_path / "d.csv"
    rows = "".join(
        f"{5 * (i % 2)},{i % 10},{['u', 'v', 'v'][i % 3]},{i % 7},{i % 10 + 2 * (i % 7)}\n"
        for i in range(60)
    )
    path.write_text("dose,p,kind,q,y\n" + rows)
    ds = make_csv_dataset(CsvSpec(str(path), inputs, ("y",), sniff(path))).dataset
    net = Network.initialise(ds.n_inputs, [LayerSpec(4, "tanh"), LayerSpec(1, "linear")],
                             np.random.RandomState(1))  # fmt: skip
    return ViewState(Model.from_dataset(net, ds), ds, 0)


@pytest.fixture
def view(qtbot):
    v = ErrorMapView()
    qtbot.addWidget(v)
    v.resize(800, 560)
    v.show()
    return v


def test_the_map_shows_the_prediction_over_two_varied_numeric_inputs(view, tmp_path):
    state = csv_state(tmp_path)
    view.show_state(state)
    response = view.response
    assert response.isVisible()
    x_axis, y_axis = combo(view, "Across"), combo(view, "Up")
    assert [x_axis.itemText(i) for i in range(x_axis.count())] == ["dose", "p", "q"]
    assert (x_axis.currentText(), y_axis.currentText()) == ("p", "q"), "dose: two values"
    grid = response.grid()
    assert grid.axes == (1, 4) and grid.prediction.shape == (1, 100, 100)
    held = named(view, "Held inputs", QLabel).text()
    assert "dose = " in held and "kind = v" in held and "p =" not in held
    probe = grid.held.copy()
    probe[1], probe[4] = grid.x[10], grid.y[20]
    expected = state.model.predict(probe[None, :])[0, 0]
    assert grid.prediction[0, 20, 10] == pytest.approx(expected)
    assert "mean |error|" in named(view, "Response readout", QLabel).text()
    assert len(response.dots.data) == len(state.dataset.test)


def test_held_values_and_axes_can_be_changed(view, tmp_path):
    state = csv_state(tmp_path)
    view.show_state(state)
    held = state.dataset.train.x[0].copy()
    held[0] = 1.0
    view.set_held(held)
    assert view.response.grid().held[0] == 1.0
    x_axis = combo(view, "Across")
    x_axis.setCurrentIndex(0)  # dose across, q up
    assert view.response.grid().axes == (0, 4)
    text = view.response.readout_at(0.5, 3.0)
    assert text.startswith("dose = 0.5, q = 3 · prediction")
    combo(view, "Rows shown").setCurrentIndex(combo(view, "Rows shown").findData(""))
    assert len(view.response.dots.data) == 0


def test_data_with_one_numeric_input_says_why_there_is_no_map(view, tmp_path):
    view.show_state(csv_state(tmp_path, inputs=("p", "kind")))
    message = named(view, "Error map message", QLabel)
    assert message.isVisible() and "two numeric inputs" in message.text()


def test_a_big_split_is_drawn_as_a_sample_in_a_few_shades(view, tmp_path, monkeypatch):
    from nngui.gui.views import response_map_page

    monkeypatch.setattr(response_map_page, "MAX_DOTS", 5)
    view.show_state(csv_state(tmp_path))
    assert len(view.response.dots.data) == 5
    assert "(a sample of 5)" in named(view, "Response readout", QLabel).text()
    brushes = {id(b) for b in view.response.dots.data["brush"]}
    assert brushes <= {id(b) for b in view.response._brushes}
