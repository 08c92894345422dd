"""CSV data sets: chosen columns, one-hot categories, missing values, shuffle and split."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.csv_dialect import CsvError, sniff
from nngui.core.csv_source import CsvSpec, check_unchanged, make_csv_dataset
from nngui.core.data import InputColumn

ROWS = "".join(f"{i},{i % 3},{['red', 'blue'][i % 2]},{2 * i + 1},const\n" for i in range(40))


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("x,k,colour,y,note\n" + ROWS)
    return p


def spec(path, **kw) -> CsvSpec:
    return CsvSpec(str(path), kw.pop("inputs", ()), kw.pop("targets", ("y",)),
                   sniff(path), **kw)  # fmt: skip


def test_default_inputs_are_the_usable_columns_categories_one_hot(path):
    data = make_csv_dataset(spec(path))
    ds = data.dataset
    assert data.spec.inputs == ("x", "k", "colour")
    assert ds.input_names == ("x", "k", "colour=blue", "colour=red")
    assert ds.columns[2] == InputColumn("colour", "categorical", ("blue", "red"))
    assert ds.output_names == ("y",)
    assert data.notes == ("column 'note' left out: every row holds the same value",)
    assert (len(ds.train), len(ds.test)) == (28, 12) and ds.val is None
    row = ds.train.x[0]
    assert row[2] + row[3] == 1.0 and ds.train.y[0, 0] == 2 * row[0] + 1


def test_rows_are_shuffled_with_a_recorded_seed_or_kept_in_order(path):
    first = make_csv_dataset(spec(path, shuffle_seed=3)).dataset
    again = make_csv_dataset(spec(path, shuffle_seed=3)).dataset
    assert np.array_equal(first.train.x, again.train.x)
    ordered = make_csv_dataset(spec(path, shuffle=False)).dataset
    assert list(ordered.train.x[:3, 0]) == [0.0, 1.0, 2.0]
    assert not np.array_equal(first.train.x[:, 0], ordered.train.x[:, 0])


def test_scalers_are_fitted_on_the_training_rows(path):
    ds = make_csv_dataset(spec(path, val_ratio=0.25)).dataset
    assert np.allclose(ds.x_scaler.mean, ds.train.x.mean(axis=0))
    assert len(ds.val) == 7 and len(ds.train) == 21


def test_missing_values_are_dropped_or_filled_with_the_training_mean(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("x,y\n1,2\nNA,4\n3,\n5,10\n7,14\n9,18\n11,22\n13,26\n15,30\n17,34\n")
    dropped = make_csv_dataset(spec(p, inputs=("x",), shuffle=False))
    assert dropped.dropped == 2 and len(dropped.dataset.train) + len(dropped.dataset.test) == 8
    filled = make_csv_dataset(spec(p, inputs=("x",), shuffle=False, missing_policy="mean"))
    assert filled.dropped == 1, "a row missing its target is dropped either way"
    train = filled.dataset.train.x[:, 0]
    assert not np.isnan(train).any()
    assert train[1] == pytest.approx(np.mean([1, 5, 7, 9, 11]))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"inputs": ("note",)}, "holds the same value in every row"),
        ({"inputs": ("nothing",)}, "no column 'nothing'"),
        ({"targets": ("colour",), "task": "regression"}, "target column 'colour' must be numeric"),
        ({"targets": ("x", "y"), "task": "classification"}, "learns one label column"),
        ({"task": "clustering"}, "must be regression or classification"),
        ({"inputs": ("x",), "targets": ("x",)}, "both an input and a target"),
        ({"missing_policy": "guess"}, "missing-value policy must be drop or mean"),
    ],
)
def test_unusable_choices_are_refused(path, kw, message):
    with pytest.raises(CsvError, match=message):
        make_csv_dataset(spec(path, **kw))


def test_too_few_rows_to_split_are_refused(tmp_path):
    p = tmp_path / "few.csv"
    p.write_text("x,y\n1,2\n3,\n5,6\n")
    with pytest.raises(CsvError, match=r"too few rows to split: 2 rows \(1 dropped for missing"):
        make_csv_dataset(spec(p, inputs=("x",), val_ratio=0.5))


def test_the_file_is_fingerprinted_and_a_changed_file_is_noticed(path):
    data = make_csv_dataset(spec(path))
    assert data.spec.size == path.stat().st_size and len(data.spec.sha256) == 64
    check_unchanged(data.spec)
    path.write_text(path.read_text() + "99,0,red,199,const\n")
    with pytest.raises(CsvError, match="changed since the model was trained"):
        check_unchanged(data.spec)
    path.unlink()
    with pytest.raises(CsvError, match="the data file is missing"):
        check_unchanged(data.spec)


def test_settings_round_trip_through_plain_values(path):
    s = make_csv_dataset(spec(path, shuffle_seed=5, val_ratio=0.1)).spec
    assert CsvSpec.from_dict(s.to_dict()) == s
    with pytest.raises(CsvError, match="incomplete or malformed"):
        CsvSpec.from_dict({"path": "x"})


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ('"{i},234.5"', "thousands separators"),
        ("{i}.5 %", "per cent signs"),
        ("€{i}.20", "currency signs"),
    ],
)
def test_numbers_written_for_people_are_named_when_left_out(tmp_path, value, what):
    rows = "".join(value.format(i=i + 1) + f",{i},{i}\n" for i in range(60))
    p = tmp_path / "f.csv"
    p.write_text("price,x,y\n" + rows)
    data = make_csv_dataset(spec(p))
    assert any(f"numbers with {what}? remove them" in n for n in data.notes), data.notes


def test_the_rows_a_policy_drops_are_counted_before_reading_the_data_set(tmp_path):
    from nngui.core.csv_source import incomplete_rows
    from nngui.core.csv_table import read_table

    path = tmp_path / "m.csv"
    path.write_text("x,c,y\n1,u,1\n,v,2\n3,,3\n4,u,\n5,v,5\n6,u,6\n7,v,7\n8,u,8\n")
    table = read_table(path)
    drop = incomplete_rows(table, ("x", "c"), ("y",), "drop")
    assert drop.tolist() == [False, True, True, True, False, False, False, False]
    assert incomplete_rows(table, ("x", "c"), ("y",), "mean").sum() == 1  # the missing target
    spec = CsvSpec(str(path), ("x", "c"), ("y",), shuffle=False, train_ratio=0.5)
    assert make_csv_dataset(spec).dropped == drop.sum()


def test_number_codes_are_one_hot_inputs_and_may_be_numeric_targets(tmp_path):
    from nngui.core.csv_predict import predict_csv
    from nngui.core.csv_roles import role_choice
    from nngui.core.csv_table import read_table
    from nngui.core.model import Model
    from nngui.core.network import LayerSpec, Network

    path = tmp_path / "codes.csv"
    rows = "".join(f"{i},{1 + i % 2},{i % 2}\n" for i in range(30))
    path.write_text("x,sex,smoker\n" + rows)
    table = read_table(path)
    assert role_choice(table.column("smoker")).roles == ("input", "target", "ignore")
    data = make_csv_dataset(CsvSpec(str(path), ("x", "sex"), ("smoker",), shuffle=False))
    ds = data.dataset
    assert ds.input_names == ("x", "sex=1", "sex=2")
    assert ds.columns[1] == InputColumn("sex", "categorical", ("1", "2"))
    assert ds.train.x[:2].tolist() == [[0, 1, 0], [1, 0, 1]]
    assert ds.train.y[:2, 0].tolist() == [0.0, 1.0]
    net = Network.initialise(3, [LayerSpec(1, "linear")], np.random.RandomState(0))
    model = Model.from_dataset(net, ds)
    new = tmp_path / "new.csv"
    new.write_text("x,sex\n3,2.0\n4,1\n5,3\n")  # "2.0" is the code 2; 3 is no known code
    import io

    out = io.StringIO()
    result = predict_csv(model, str(new), sniff(new), out)
    lines = out.getvalue().splitlines()
    expected = model.predict(np.array([[3.0, 0, 1], [4.0, 1, 0]]))[:, 0]
    assert [float(line.split(",")[-1]) for line in lines[1:3]] == pytest.approx(expected)
    assert lines[3].endswith(",") and result.missing == 1


def test_a_few_numbers_written_for_people_are_no_categories(tmp_path):
    rows = "".join(f'"{["1,200", "1,500", "2,000"][i % 3]}",{i},{i}\n' for i in range(60))
    p = tmp_path / "f.csv"
    p.write_text("price,x,y\n" + rows)
    data = make_csv_dataset(spec(p))
    assert data.spec.inputs == ("x",), "not three one-hot 'categories'"
    assert any("numbers with thousands separators" in n for n in data.notes), data.notes


def test_values_too_large_to_standardise_are_refused_naming_the_line(tmp_path):
    p = tmp_path / "huge.csv"
    p.write_text("x,y\n" + "".join(f"{i},{i}\n" for i in range(10)) + "1e308,3\n")
    with pytest.raises(CsvError, match=r"line 12, column 'x' holds 1e\+308, beyond ±1e\+30"):
        make_csv_dataset(spec(p, inputs=("x",)))


def test_a_categorical_target_is_a_classification_task_and_codes_override(tmp_path):
    p = tmp_path / "flowers.csv"
    kinds = ["setosa", "versicolor", "virginica"]
    rows = "".join(f"{i % 7},{i % 5},{kinds[i % 3]},{i % 2}\n" for i in range(60))
    p.write_text("a,b,kind,flag\n" + rows + "1,2,,1\n")
    data = make_csv_dataset(CsvSpec(str(p), ("a", "b"), ("kind",), shuffle=False))
    ds = data.dataset
    assert ds.task == "classification" and ds.classes == tuple(kinds)
    assert ds.train.y[:3].tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert np.array_equal(ds.train.ys, ds.train.y), "class codes are not standardised"
    assert data.dropped == 1, "a row without a label is dropped"
    binary = make_csv_dataset(CsvSpec(str(p), ("a", "b"), ("flag",), shuffle=False)).dataset
    assert binary.classes == ("0", "1") and binary.train.y[:2, 0].tolist() == [0.0, 1.0]
    counts = CsvSpec(str(p), ("a", "b"), ("flag",), shuffle=False, task="regression")
    regressed = make_csv_dataset(counts).dataset
    assert regressed.task == "regression" and regressed.classes == ()
    assert CsvSpec.from_dict(counts.to_dict()) == counts


def test_whole_numbers_may_be_classes_when_the_task_says_so(tmp_path):
    path = tmp_path / "digits.csv"
    path.write_text("x,digit,size\n" + "".join(f"{i / 7:.3f},{i % 4},{i / 3:.2f}\n"
                                               for i in range(60)))  # fmt: skip
    spec = CsvSpec(str(path), ("x",), ("digit",), sniff(path))
    assert make_csv_dataset(spec).dataset.task == "regression", "numbers: regressed by default"
    ds = make_csv_dataset(CsvSpec(str(path), ("x",), ("digit",), sniff(path),
                                  task="classification")).dataset  # fmt: skip
    assert ds.task == "classification" and ds.classes == ("0", "1", "2", "3")
    np.testing.assert_array_equal(ds.train.y.sum(axis=1), 1.0)
    with pytest.raises(CsvError, match="size holds 60 different numbers, not classes"):
        make_csv_dataset(CsvSpec(str(path), ("x",), ("size",), sniff(path), task="classification"))
