"""The commands that explain a saved model headless, as the window's views do.

- ``nngui inside MODEL A,B``: one sample's forward and backward pass, layer by layer, and the
  dead relu units on the training data (the Inside view);
- ``nngui check-gradients MODEL``: backprop against finite differences (exit status 1 when
  they disagree);
- ``nngui export MODEL --history F --fit F --error-map F``: the loss history, the fit table
  and the error map as CSV (``-`` writes to stdout).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from nngui.cli_args import UsageError, check_save_path, os_problem, parse_numbers, read_model
from nngui.cli_report import print_json
from nngui.core.data import TARGETS, Dataset, DataSpec, true_outputs
from nngui.core.error_map import error_grid
from nngui.core.export import history_csv, table_csv, write_file
from nngui.core.fit import FIT_COLUMNS, fit_table
from nngui.core.gradient_check import GradientCheck, check_gradients
from nngui.core.inside import LayerTrace, trace_sample
from nngui.core.layer_stats import dead_text, layer_stats
from nngui.core.model import Model

ERROR_MAP_COLUMNS = ("output", "a", "b", "prediction", "truth", "abs_error")


def model_and_data(path: str) -> tuple[Model, Dataset]:
    """A model and its regenerated data under its stored scalers (UsageError if it can't)."""
    model = read_model(path)
    if model.data_spec is None:
        raise UsageError(f"{path} does not record its data settings; cannot regenerate them")
    return model, model.training_data(np.float64)


# ----- inside -----------------------------------------------------------------------------
def cmd_inside(args: argparse.Namespace) -> int:
    """``nngui inside``: Z, A, dZ, dW and db of every layer for one input point."""
    model, ds = model_and_data(args.model)
    x = np.array([parse_numbers(args.point.strip(), model.network.n_inputs, "point")])
    unknown = [t for t in model.output_names if t not in TARGETS]
    if unknown or model.network.n_inputs != 2:
        raise UsageError(
            "inside needs the true outputs for its backward pass: two inputs and outputs "
            f"named by known formulas ({', '.join(TARGETS)}); this model has outputs "
            f"{', '.join(map(ascii, model.output_names))}"
        )
    with np.errstate(all="ignore"):
        y = true_outputs(x, tuple(model.output_names))
        trace = trace_sample(
            model.network, model.x_scaler.transform(x)[0], model.y_scaler.transform(y)[0]
        )
    stats = layer_stats(model.network, ds.train.xs)
    if args.json:
        print_json({
            "point": x[0].tolist(), "truth": y[0].tolist(),
            "prediction": model.y_scaler.inverse(trace.yhat[None])[0].tolist(),
            "loss": trace.loss,
            "layers": [_layer_json(t) for t in trace.layers],
            "dead_units": [s.dead_count for s in stats],
        })  # fmt: skip
        return 0
    prediction = model.y_scaler.inverse(trace.yhat[None])[0]
    print(f"input {_vector(x[0])} → prediction {_vector(prediction)}, truth {_vector(y[0])}")
    print(f"loss ½·Σ(ŷ − y)² = {trace.loss:.6g} (standardised units)")
    for t in trace.layers:
        print(_layer_text(t))
    dead = [f"layer {s.layer}: {dead_text(s)}" for s in stats if s.dead is not None]
    if dead:
        print("dead relu units on the training data: " + "; ".join(dead))
    return 0


def _layer_json(t: LayerTrace) -> dict[str, Any]:
    return {
        "layer": t.number, "activation": t.activation,
        **{name: getattr(t, name).tolist() for name in ("z", "a", "dz", "dw", "db")},
    }  # fmt: skip


def _vector(v: np.ndarray) -> str:
    """A vector, or a matrix row by row, at 6 significant digits ("-0" shown as "0")."""
    v = np.asarray(v, dtype=np.float64) + 0.0
    if v.ndim == 2 and len(v) > 1:
        return "[" + "; ".join(_vector(row)[1:-1] for row in v) + "]"
    return "[" + ", ".join(f"{x:.6g}" for x in np.ravel(v)) + "]"


def _layer_text(t: LayerTrace) -> str:
    l, act = t.number, t.activation
    rows = [
        f"layer {l} ({act}):",
        f"  Z{l} = A{l - 1}·W{l} + b{l}  {t.z.shape} = {_vector(t.z)}",
        f"  A{l} = {act}(Z{l})  {t.a.shape} = {_vector(t.a)}",
        f"  dZ{l} = dA{l} ⊙ {act}′(Z{l})  {t.dz.shape} = {_vector(t.dz)}",
        f"  dW{l} = A{l - 1}ᵀ·dZ{l}  {t.dw.shape} = {_vector(t.dw)}",
        f"  db{l} = dZ{l}  {t.db.shape} = {_vector(t.db)}",
    ]
    return "\n".join(rows)


# ----- check-gradients --------------------------------------------------------------------
def cmd_check_gradients(args: argparse.Namespace) -> int:
    """``nngui check-gradients``: exit 0 when backprop agrees with finite differences, else 1."""
    model, ds = model_and_data(args.model)
    result = check_gradients(
        model.network, ds.train.xs, ds.train.ys, samples=args.samples, max_params=args.params
    )
    if args.json:
        print_json(_check_json(result))
    else:
        print(check_text(result))
    return 0 if result.passed else 1


def check_text(r: GradientCheck) -> str:
    """The check as lines of text: verdict, largest difference, then one line per layer."""
    verdict = "PASSED" if r.passed else "FAILED"
    where = f" at {r.worst.label()}" if r.worst else ""
    lines = [
        f"gradient check {verdict}: largest relative difference {r.max_rel_diff:.3g}{where} "
        f"(tolerance {r.tolerance:g}); {r.checked} of {r.total} parameters on {r.samples} "
        "training samples",
    ]
    for lc in r.layers:
        lines.append(
            f"  layer {lc.layer}: weights {lc.weights.max_rel_diff:.3g} "
            f"({lc.weights.checked} of {lc.weights.total}), biases "
            f"{lc.biases.max_rel_diff:.3g} ({lc.biases.checked} of {lc.biases.total})"
        )
    if r.note:
        lines.append(f"note: {r.note}")
    return "\n".join(lines)


def _check_json(r: GradientCheck) -> dict[str, Any]:
    return {
        "passed": r.passed, "max_rel_diff": r.max_rel_diff, "tolerance": r.tolerance,
        "worst": r.worst.label() if r.worst else None, "checked": r.checked, "total": r.total,
        "samples": r.samples, "note": r.note,
        "layers": [
            {"layer": lc.layer, "weights": lc.weights.max_rel_diff,
             "biases": lc.biases.max_rel_diff}
            for lc in r.layers
        ],
    }  # fmt: skip


# ----- export -----------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    """``nngui export``: write the requested CSV tables."""
    if not (args.history or args.fit or args.error_map):
        raise UsageError("say what to export: --history, --fit and/or --error-map FILE.csv")
    check_outputs(args.model, {"--history": args.history, "--fit": args.fit,
                               "--error-map": args.error_map})  # fmt: skip
    model = read_model(args.model)
    if args.history:
        _write(args.history, history_csv(model.history))
    if args.fit or args.error_map:
        model, ds = model_and_data(args.model)
        if args.fit:
            _write(args.fit, table_csv(FIT_COLUMNS, fit_table(model, ds)))
        if args.error_map:
            _write(args.error_map, error_map_csv(model, ds, args.resolution, args.extend))
    return 0


def check_outputs(model: str, outputs: dict[str, str | None]) -> None:
    """Refuse outputs that cannot be saved or would overwrite the model, each other or any
    other model file (a name ending in .npz), with UsageError, before any work.

    ``outputs`` maps option names to the files given (None: not given; "-": stdout).
    """
    for option, path in outputs.items():
        if path is not None and not path:
            raise UsageError(f"{option} needs a file name, or - for stdout")
    given = [(option, path) for option, path in outputs.items() if path]
    if sum(path == "-" for _, path in given) > 1:
        raise UsageError("only one table can go to stdout (-)")
    files = [(option, path) for option, path in given if path != "-"]
    for option, path in files:
        check_save_path(path, option)
    for i, (option, path) in enumerate(files):
        if same_file(path, model):
            raise UsageError(
                f"{option}: {path} is the model file itself and would be overwritten; "
                f"give another file name, e.g. {Path(model).stem}-{option[2:]}.csv"
            )
        for other, earlier in files[:i]:
            if same_file(path, earlier):
                if path == earlier:
                    both = f"{other} and {option} both name {path}"
                else:
                    both = f"{other} {earlier} and {option} {path} are the same file"
                raise UsageError(f"{both}; give each table its own file")
    for option, path in files:
        if Path(path).suffix.lower() == ".npz":  # another model's file: a table would replace it
            raise UsageError(
                f"{option}: {path} ends in .npz like a model file, and a table written there "
                "would replace it; give a name ending in .csv"
            )


def same_file(a: str, b: str) -> bool:
    """Whether the paths ``a`` and ``b`` name one file (the same inode, or the same resolved
    path for a file that does not exist yet)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (yet)
        pass
    try:
        ra, rb = Path(a).resolve(), Path(b).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return os.path.normcase(ra) == os.path.normcase(rb)


def error_map_csv(model: Model, ds: Dataset, resolution: int, extend: float) -> str:
    """The error map of every output as CSV rows (output, a, b, prediction, truth, error)."""
    targets = tuple(model.output_names)
    if (
        any(t not in TARGETS for t in targets) or model.network.n_inputs != 2
        or not isinstance(ds.spec, DataSpec)
    ):  # fmt: skip
        raise UsageError("an error map needs two inputs and targets with known formulas")
    grid = error_grid(model, targets, ds.spec.ranges, resolution, extend)
    bb, aa = np.meshgrid(grid.b, grid.a, indexing="ij")  # (n_b, n_a), like grid.error[k]

    def rows() -> Iterator[dict[str, Any]]:  # one at a time: a million rows per output at most
        for k, name in enumerate(targets):
            columns = (aa, bb, grid.prediction[k], grid.truth[k], grid.error[k])
            for a, b, p, t, e in zip(*(c.ravel().tolist() for c in columns), strict=True):
                yield {"output": name, "a": a, "b": b, "prediction": p, "truth": t,
                       "abs_error": e}  # fmt: skip

    return table_csv(ERROR_MAP_COLUMNS, rows())


def _write(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
        return
    try:
        write_file(path, text)
    except OSError as exc:
        raise UsageError(f"{path}: could not save: {os_problem(exc)}") from None
