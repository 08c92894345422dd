"""Training on a CSV file, predicting its rows and measuring on it, from the command line; the
saved model answers like the plain-NumPy recipe of docs/model-format.md."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from nngui.cli import main
from nngui.core.csv_table import read_table
from nngui.core.model_file import load_model
from nngui.core.network import LayerSpec


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def house(tmp_path):
    """A small regression set: price from area, rooms and a district; semicolons, decimal comma."""
    rng = np.random.default_rng(1)
    lines = ["area;rooms;district;price;comment"]
    for i in range(240):
        area, rooms = rng.uniform(30, 200), int(rng.integers(1, 7))
        district = ["north", "south", "east"][i % 3]
        price = 1000 * area + 5000 * rooms + {"north": 20000, "south": 0, "east": 10000}[district]
        lines.append(f"{area:.1f}".replace(".", ",") + f";{rooms};{district};{price:.0f};c{i}")
    path = tmp_path / "house.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def train(capsys, house, tmp_path, *extra: str):
    out = tmp_path / "house.npz"
    code, stdout, err = run(capsys, "train", "--csv", str(house), "--targets", "price",
                            "--hidden", "8", "--optimizer", "adam", "--lr", "0.01",
                            "--epochs", "400", "--out", str(out), "--json", *extra)  # fmt: skip
    assert code == 0, err
    return out, json.loads(stdout), err


def recipe(path, rows: list[dict[str, str]]) -> np.ndarray:
    """The plain-NumPy recipe: numeric inputs as they are, categories one-hot, scale, forward."""
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(str(f["meta"]))
        x = []
        for row in rows:
            values = []
            for col in meta["input_columns"]:
                if col["kind"] == "numeric":
                    values.append(float(row[col["name"]].replace(",", ".")))
                else:
                    values += [float(row[col["name"]] == c) for c in col["categories"]]
            x.append(values)
        a = (np.array(x) - f["x_mean"]) / f["x_std"]
        for i, layer in enumerate(meta["layers"], 1):
            a = a @ f[f"W{i}"] + f[f"b{i}"]
            if layer["activation"] == "relu":
                a = np.maximum(a, 0)
        return a * f["y_std"] + f["y_mean"]


def test_train_save_predict_and_the_plain_numpy_recipe_agree(capsys, house, tmp_path):
    out, report, err = train(capsys, house, tmp_path)
    assert "column 'comment' left out: it is text" in err
    model = load_model(out)
    assert model.input_names == ("area", "rooms", "district=east", "district=north",
                                 "district=south")  # fmt: skip
    assert model.data_spec.sha256 and model.data_spec.inputs == ("area", "rooms", "district")
    assert report["metrics"]["test"]["r2"][0] > 0.95
    pred = tmp_path / "pred.csv"
    code, _, err = run(capsys, "predict", str(out), "--csv", str(house), "--out", str(pred))
    assert code == 0 and err == ""
    with pred.open() as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    with house.open() as f:
        original = list(csv.DictReader(f, delimiter=";"))
    assert [r["area"] for r in rows] == [r["area"] for r in original], "fields as they were"
    got = np.array([float(r["predicted_price"].replace(",", ".")) for r in rows])
    assert np.allclose(got, recipe(out, original)[:, 0], rtol=1e-9)
    assert np.allclose(got, model.predict(model.table_inputs(read_table(house)))[:, 0])


def test_missing_inputs_get_empty_predictions_and_are_counted(capsys, house, tmp_path):
    out, _, _ = train(capsys, house, tmp_path)
    rows = tmp_path / "new.csv"
    rows.write_text("area;rooms;district\n50,5;2;north\nNA;3;east\n80;2;west\n")
    code, stdout, err = run(capsys, "predict", str(out), "--csv", str(rows))
    lines = stdout.splitlines()
    assert code == 0 and lines[0] == "area;rooms;district;predicted_price"
    assert lines[2] == "NA;3;east;" and lines[3] == "80;2;west;", "an unknown category too"
    assert "2 rows of 3 without a prediction" in err and "category" in err


def test_evaluate_on_a_file_matches_the_columns_by_name(capsys, house, tmp_path):
    out, _, _ = train(capsys, house, tmp_path)
    code, stdout, _ = run(capsys, "evaluate", str(out), "--csv", str(house), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["rows"] == 240 and report["outputs"] == ["price"]
    assert set(report) == {"rows", "skipped", "outputs", "rmse", "mae", "r2", "max_error"}
    assert report["r2"][0] > 0.95


def test_continuing_finds_the_same_rows_and_a_changed_file_is_refused(capsys, house, tmp_path):
    out, _, _ = train(capsys, house, tmp_path)
    code, _, err = run(capsys, "train", "--init-from", str(out), "--epochs", "5", "--quiet")
    assert code == 0, err
    house.write_text(house.read_text() + "99,0;2;north;120000;late\n")
    code, _, err = run(capsys, "train", "--init-from", str(out), "--epochs", "5")
    assert code == 2 and "changed since the model was trained" in err


def test_columns_by_position_and_file_order(capsys, house, tmp_path):
    train(capsys, house, tmp_path, "--inputs", ":1-2", "--no-shuffle")
    model = load_model(tmp_path / "house.npz")
    assert model.input_names == ("area", "rooms") and not model.data_spec.shuffle


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--targets", "cost"], "no column 'cost'"),
        (
            ["--targets", "district", "--task", "regression"],
            "must be numeric, but line 2 holds 'north'",
        ),
        (["--targets", "price", "--inputs", ":9"], ":9 is not within the 5 columns"),
        (["--targets", "price", "--samples", "100"], "--samples is for the formulas' data"),
        ([], "--csv needs --targets"),
    ],
)
def test_bad_choices_exit_2_with_one_line(capsys, house, argv, message):
    code, _, err = run(capsys, "train", "--csv", str(house), *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_csv_options_need_csv(capsys, tmp_path):
    code, _, err = run(capsys, "train", "--inputs", "a", "--epochs", "1")
    assert code == 2 and "--inputs needs --csv FILE" in err


def test_predict_options_that_need_csv_or_out(capsys, house, tmp_path):
    out, _, _ = train(capsys, house, tmp_path)
    code, _, err = run(capsys, "predict", str(out), "1,2,3,4,5", "--out", "x.csv")
    assert code == 2 and "--out needs --csv FILE" in err
    code, _, err = run(capsys, "predict", str(out), "--csv", str(house), "--json")
    assert code == 2 and "--json with --csv needs --out" in err
    code, _, err = run(capsys, "predict", str(out), "--csv", str(house), "--out", str(house))
    assert code == 2 and "would overwrite the input file" in err
    code, _, err = run(capsys, "predict", str(out))
    assert code == 2 and "give input points" in err


def test_preset_fast_is_the_windows_and_follows_a_csv_files_rows(capsys, house, tmp_path):
    from nngui.cli import fresh_setup
    from nngui.cli_args import build_parser
    from nngui.core.presets import FAST

    net, ds, config, _, _ = fresh_setup(build_parser().parse_args(["train", "--preset", "fast"]))
    assert config == FAST.training and ds.spec == FAST.data
    assert tuple(net.layers) == FAST.layers
    argv = ["train", "--preset", "fast", "--csv", str(house), "--targets", "price"]
    net, ds, config, _, _ = fresh_setup(build_parser().parse_args(argv))
    assert len(ds.val) > 0 and config.patience > 0, "early stopping on a validation split"
    assert config.batch_size == len(ds.train) // 4 < FAST.training.batch_size
    assert net.layers[0] == FAST.layers[0] and config.optimizer == "adam"
    argv += ["--batch-size", "7", "--val-ratio", "0.3"]
    _, ds, config, _, _ = fresh_setup(build_parser().parse_args(argv))
    assert config.batch_size == 7 and ds.spec.val_ratio == 0.3, "the options given win"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"x,y\n", "a header but no data rows"),
        (b"\x00\x01binary\x02", "not a text file"),
        (b"x,y\n1,2\n3\n5,6\n", "line 3 has 1 field, not 2"),
        (b"x,y\n1,2\n3,4,5\n", "line 3 has 3 fields, not 2"),
        (
            b"x,y\n1,2\n3,abc\n5,6\n7,8\n",
            "target column 'y' must be numeric, but line 3 holds 'abc'",
        ),
        (b"\xff\xfex\x00,\x00y\x00\n\x00", "not a text file"),
    ],
)
def test_hostile_files_exit_2_naming_the_file_and_the_line(capsys, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, out, err = run(capsys, "train", "--csv", str(path), "--targets", "y", "--inputs", "x",
                         "--epochs", "1")  # fmt: skip
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert message in err and "bad.csv" in err


def test_a_huge_single_line_is_refused_at_once(capsys, tmp_path, monkeypatch):
    from nngui.core import csv_dialect

    monkeypatch.setattr(csv_dialect, "SAMPLE_BYTES", 4096)
    path = tmp_path / "line.csv"
    path.write_text("1," * 100_000)
    code, _, err = run(capsys, "data", str(path))
    assert code == 2 and "line 1 is longer than 4,096 bytes: not a table" in err


def test_an_encoding_given_that_does_not_fit_says_so(capsys, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y\n1,2\n" + "é,3\n".encode("latin-1"))
    code, _, err = run(capsys, "data", str(path), "--encoding", "utf-8")
    assert code == 2 and "cannot be read as utf-8" in err and "--encoding" in err


def test_a_csv_file_given_as_a_model_says_what_to_do(capsys, house):
    code, _, err = run(capsys, "info", str(house))
    assert code == 2 and "looks like a data table" in err and "nngui train --csv" in err


def test_booleans_and_markers_given_at_training_are_read_alike_by_predict(capsys, tmp_path):
    rows = "".join(f"{i % 9},{['TRUE', 'FALSE', 'true'][i % 3]},{-999 if i % 7 == 0 else i % 5},"
                   f"{i % 9 + (i % 3 == 1)}\n" for i in range(60))  # fmt: skip
    path = tmp_path / "b.csv"
    path.write_text("a,flag,c,y\n" + rows)
    model = tmp_path / "b.npz"
    code, _, err = run(capsys, "train", "--csv", str(path), "--targets", "y", "--missing",
                       "-999", "--epochs", "5", "--out", str(model), "--quiet")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "predict", str(model), "--csv", str(path))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 61
    missing = [line for line in lines[1:] if line.endswith(",")]
    assert len(missing) == sum(i % 7 == 0 for i in range(60)), "only the -999 rows"


def test_predict_writes_the_header_as_the_file_has_it(capsys, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("a,,y\n" + "".join(f"{i},{i % 3},{2 * i}\n" for i in range(30)))
    model = tmp_path / "h.npz"
    assert run(capsys, "train", "--csv", str(path), "--targets", "y", "--inputs", "a",
               "--epochs", "3", "--out", str(model), "--quiet")[0] == 0  # fmt: skip
    _, out, _ = run(capsys, "predict", str(model), "--csv", str(path))
    assert out.splitlines()[0] == "a,,y,predicted_y"


def test_a_column_name_with_a_comma_is_named_in_double_quotes(capsys, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('"Preis, €",b,y\n' + "".join(f"{i},{i % 4},{2 * i}\n" for i in range(30)))
    code, _, err = run(capsys, "train", "--csv", str(path), "--targets", "y",
                       "--inputs", '"Preis, €",b', "--epochs", "2", "--quiet",
                       "--out", str(tmp_path / "c.npz"))  # fmt: skip
    assert code == 0, err
    assert load_model(tmp_path / "c.npz").input_names == ("Preis, €", "b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x,y\n1,2\n", "too few rows to split: 1 row"),
        ("# exported by a tool\nx,y\n1,2\n3,4\n", "the first line starts with '#'"),
    ],
)
def test_small_and_commented_files_say_what_is_wrong(capsys, tmp_path, text, message):
    path = tmp_path / "s.csv"
    path.write_text(text)
    code, _, err = run(capsys, "train", "--csv", str(path), "--targets", "y", "--epochs", "1")
    assert code == 2 and message in err


def test_a_line_of_spaces_is_a_blank_line(tmp_path):
    from nngui.core.csv_table import read_table

    path = tmp_path / "w.csv"
    path.write_text("a,b,y\n1,2,3\n   \n4,5,6\n7,8,9\n")
    assert read_table(path).rows == 3


def test_prediction_reports_its_rows_and_stops_when_asked(capsys, house, tmp_path):
    import io as io_module

    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_predict import CancelledError, predict_csv

    out, _, _ = train(capsys, house, tmp_path)
    model, dialect = load_model(out), sniff(house)
    heard: list[int] = []
    predict_csv(model, str(house), dialect, io_module.StringIO(), on_rows=heard.append)
    assert heard == [240]
    with pytest.raises(CancelledError):
        predict_csv(model, str(house), dialect, io_module.StringIO(), cancelled=lambda: True)


def test_continuing_on_a_moved_copy_of_the_file(capsys, house, tmp_path):
    out, _, _ = train(capsys, house, tmp_path)
    moved = tmp_path / "moved.csv"
    house.rename(moved)
    code, _, err = run(capsys, "train", "--init-from", str(out), "--epochs", "3")
    assert code == 2 and "the data file is missing" in err and "--csv FILE" in err
    code, _, err = run(capsys, "train", "--init-from", str(out), "--csv", str(moved),
                       "--epochs", "3", "--out", str(out), "--quiet")  # fmt: skip
    assert code == 0, err
    assert load_model(out).data_spec.path == str(moved) and load_model(out).history.epochs == 403
    moved.write_text(moved.read_text().replace("c1\n", "c1 changed\n"))
    code, _, err = run(
        capsys, "train", "--init-from", str(out), "--csv", str(moved), "--epochs", "1"
    )
    assert code == 2 and "changed since the model was trained" in err


def test_a_categorical_target_trains_a_classifier_that_predicts_and_evaluates_csv(capsys, tmp_path):
    from nngui.core.examples import example_path

    iris = example_path("iris.csv")
    model = tmp_path / "iris.npz"
    code, out, err = run(capsys, "train", "--csv", iris, "--targets", "species", "--preset",
                         "fast", "--epochs", "300", "--json", "--out", str(model))  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["task"] == "classification" and len(report["classes"]) == 3
    assert report["test_accuracy"] >= 0.85
    assert load_model(model).network.layers[-1] == LayerSpec(3, "softmax")
    code, out, _ = run(capsys, "predict", str(model), "--csv", iris)
    rows = list(csv.reader(out.splitlines()))
    assert rows[0][-4:] == ["predicted_species", "p_species=setosa", "p_species=versicolor",
                            "p_species=virginica"]  # fmt: skip
    assert rows[1][-4] == "setosa" and sum(map(float, rows[1][-3:])) == pytest.approx(1.0)
    code, out, _ = run(capsys, "evaluate", str(model), "--csv", iris, "--json")
    scores = json.loads(out)
    assert set(scores) >= {"rows", "classes", "accuracy", "log_loss", "precision", "recall",
                           "f1", "confusion"}  # fmt: skip
    assert scores["rows"] == 150 and sum(map(sum, scores["confusion"])) == 150


def test_number_codes_are_classified_unless_told_to_regress(capsys, tmp_path):
    data = tmp_path / "codes.csv"
    data.write_text("x,smoker\n" + "".join(f"{i},{int(i > 20)}\n" for i in range(40)))
    code, out, err = run(capsys, "train", "--csv", str(data), "--targets", "smoker",
                         "--epochs", "5", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["classes"] == ["0", "1"]
    code, out, err = run(capsys, "train", "--csv", str(data), "--targets", "smoker",
                         "--task", "regression", "--epochs", "5", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["task"] == "regression"
