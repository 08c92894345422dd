"""Classifying real labelled data: nngui's recommended settings against scikit-learn's
MLPClassifier on the same split.

Issue 11's quality goal: on the iris, wine and breast-cancer sets the recommended settings
match MLPClassifier (test accuracy within 2 points or better). Iris is nngui's shipped
example; wine and breast cancer come with scikit-learn (``sklearn.datasets``, no download) and
are written to a temporary CSV file. nngui trains through ``nngui train --csv FILE --targets
class --preset fast`` (the command line's own code); MLPClassifier gets the same training
rows, standardised with the same train-set scalers, and one hidden layer of 32 relu units,
Adam, early stopping off, at most 2,000 epochs. Several seeds (nngui's shuffle seed is the
split's and the weights'), the mean and the worst of each.

    python bench/bench_classifiers.py             # 3 seeds
    python bench/bench_classifiers.py --seeds 5
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from nngui.cli import main as nngui
from nngui.core.csv_dialect import sniff
from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.examples import example_path


def write_sklearn_set(name: str, folder: Path) -> Path:
    """One of scikit-learn's bundled sets as a CSV file with a ``class`` column."""
    from sklearn import datasets

    loaded = {"wine": datasets.load_wine, "breast-cancer": datasets.load_breast_cancer}[name]()
    path = folder / f"{name}.csv"
    names = [n.replace(" ", "_") for n in loaded.feature_names]
    labels = [loaded.target_names[t] for t in loaded.target]
    with path.open("w") as f:
        f.write(",".join([*names, "class"]) + "\n")
        for row, label in zip(loaded.data, labels, strict=True):
            f.write(",".join([*(repr(float(v)) for v in row), str(label)]) + "\n")
    return path


def nngui_accuracy(path: Path, target: str, seed: int) -> float:
    """Test accuracy of ``nngui train --csv`` with the fast preset."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = nngui(["train", "--csv", str(path), "--targets", target, "--preset", "fast",
                      "--shuffle-seed", str(seed), "--json"])  # fmt: skip
    if code != 0:
        raise SystemExit(f"nngui train --csv {path} failed")
    return float(json.loads(out.getvalue())["test_accuracy"])


def sklearn_accuracy(path: Path, target: str, seed: int) -> float:
    """MLPClassifier's test accuracy on nngui's split of the same file."""
    from sklearn.neural_network import MLPClassifier

    spec = CsvSpec(str(path), (), (target,), sniff(path), shuffle_seed=seed, val_ratio=0.15)
    ds = make_csv_dataset(spec).dataset
    fit_x = np.concatenate([ds.train.xs, ds.val.xs]) if ds.val is not None else ds.train.xs
    fit_y = np.concatenate([ds.train.y, ds.val.y]) if ds.val is not None else ds.train.y
    labels = fit_y.argmax(axis=1) if fit_y.shape[1] > 1 else fit_y[:, 0]
    test = ds.test.y.argmax(axis=1) if ds.test.y.shape[1] > 1 else ds.test.y[:, 0]
    model = MLPClassifier(hidden_layer_sizes=(32,), max_iter=2000, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(fit_x, labels)
    return float(np.mean(model.predict(ds.test.xs) == test))


def main(argv: list[str] | None = None) -> int:
    """Every set, every seed, both engines; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        sets = {"iris": (Path(example_path("iris.csv")), "species")}
        for name in ("wine", "breast-cancer"):
            sets[name] = (write_sklearn_set(name, Path(folder)), "class")
        print(f"{'set':<15}{'nngui mean':>12}{'worst':>8}{'sklearn mean':>14}{'worst':>8}"
              f"{'difference':>12}")  # fmt: skip
        for name, (path, target) in sets.items():
            ours = [nngui_accuracy(path, target, s) for s in range(args.seeds)]
            theirs = [sklearn_accuracy(path, target, s) for s in range(args.seeds)]
            diff = 100 * (np.mean(ours) - np.mean(theirs))
            print(f"{name:<15}{np.mean(ours):>12.1%}{min(ours):>8.1%}{np.mean(theirs):>14.1%}"
                  f"{min(theirs):>8.1%}{diff:>+10.1f} pt")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
