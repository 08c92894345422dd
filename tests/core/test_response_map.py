"""Response maps: a model's prediction over two numeric inputs, the others held."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.csv_dialect import sniff
from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.response_map import (
    numeric_inputs,
    response_grid,
    response_grid_steps,
    row_errors,
    training_medians,
)


@pytest.fixture
def model_and_data(tmp_path):
    path = tmp_path / "d.csv"
    rows = "".join(
        f"{i % 10},{i % 7},{['u', 'v', 'v'][i % 3]},{i % 10 + 2 * (i % 7)}\n" for i in range(60)
    )
    path.write_text("p,q,kind,y\n" + rows)
    ds = make_csv_dataset(CsvSpec(str(path), ("p", "kind", "q"), ("y",), sniff(path))).dataset
    net = Network.initialise(ds.n_inputs, [LayerSpec(5, "tanh"), LayerSpec(1, "linear")],
                             np.random.RandomState(0))  # fmt: skip
    return Model.from_dataset(net, ds), ds


def test_the_grid_varies_the_axes_and_holds_the_rest(model_and_data):
    model, ds = model_and_data
    assert model.input_names == ("p", "kind=u", "kind=v", "q")
    assert numeric_inputs(model) == [0, 3]
    held = training_medians(ds)
    assert held[1:3].tolist() == [0.0, 1.0], "the most frequent category"
    grid = response_grid(model, (0, 3), [(0, 9), (0, 6)], held, resolution=4)
    assert grid.prediction.shape == (1, 4, 4)
    x = np.array([grid.x[2], held[1], held[2], grid.y[1]])[None, :]
    assert grid.prediction[0, 1, 2] == pytest.approx(model.predict(x)[0, 0])
    assert grid.rect == (0.0, 0.0, 9.0, 6.0)
    stepped = list(response_grid_steps(model, (0, 3), [(0, 9), (0, 6)], held, 4, 0.0, 1))
    assert stepped[:-1] == [None] * 3 and np.array_equal(stepped[-1].prediction, grid.prediction)


def test_bad_axes_and_held_values_are_refused(model_and_data):
    model, ds = model_and_data
    held = training_medians(ds)
    with pytest.raises(ValueError, match="two different numeric inputs"):
        response_grid(model, (0, 1), [(0, 1), (0, 1)], held)
    with pytest.raises(ValueError, match="two different numeric inputs"):
        response_grid(model, (3, 3), [(0, 1), (0, 1)], held)
    with pytest.raises(ValueError, match="held values for 4 inputs"):
        response_grid(model, (0, 3), [(0, 1), (0, 1)], held[:2])


def test_rows_carry_their_prediction_and_error(model_and_data):
    model, ds = model_and_data
    rows = row_errors(model, ds.test)
    assert rows.error.shape == ds.test.y.shape
    assert np.allclose(rows.error, np.abs(model.predict(ds.test.x) - ds.test.y))


def test_colour_levels_cover_each_part_and_stay_put_while_they_fit():
    from nngui.core.response_map import value_levels

    surface = np.linspace(130, 185, 10_000)
    truths = np.array([25.0, 100.0, 346.0])
    lo, hi = value_levels(surface, truths)
    assert lo < 30 and hi > 340, "a few true values count as much as the whole surface"
    assert value_levels(surface * 0.99, truths, previous=(lo, hi)) == (lo, hi)
    assert value_levels(np.array([np.nan])) is None
    assert value_levels(np.array([5.0])) == (4.75, 5.25)
