"""What the ``nngui`` commands print: the training report and summary, tables and JSON.

Plain functions from models and results to text or JSON-ready dictionaries; nothing here
parses arguments or trains.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from nngui.cli_args import printable
from nngui.core.csv_source import CsvSpec
from nngui.core.data import INPUT_NAMES, DataSpec
from nngui.core.model import Model
from nngui.core.training import RunResult, TrainConfig


def train_report(model: Model, result: RunResult, out: Path | None) -> dict[str, Any]:
    """What ``train --json`` prints (see the epilog of ``nngui train --help``)."""
    m = model.metrics
    test = m["test"]
    common = {
        "task": model.task,
        "epochs": model.history.epochs,
        "epochs_run": result.epochs_run,
        "seconds": result.seconds,
        "params": model.network.parameter_count(),
        "outcome": result.outcome,
        "restored_epoch": result.restored_epoch,
        "message": result.message,
        "outputs": list(model.output_names),
        "train_loss": m["train"]["loss"],
        "val_loss": m["val"]["loss"] if "val" in m else None,
        "test_loss": test["loss"],
    }
    if model.task == "classification":
        return common | {
            "classes": list(model.classes), "test_accuracy": test["accuracy"],
            "test_log_loss": test["log_loss"], "confusion": test["confusion"], "metrics": m,
            "out": printable(out) if out is not None else None,
        }  # fmt: skip
    return common | {
        "test_seed_loss": test["seed_loss"],
        "test_rmse": test["rmse"],
        "test_mae": test["mae"],
        "test_r2": test["r2"],
        "metrics": m,
        "out": printable(out) if out is not None else None,
    }


def train_summary(r: dict[str, Any]) -> str:
    """One line: outcome, epochs, time, losses, test RMSE per output (or a classifier's test
    accuracy and log loss) and where it was saved."""
    val = f" · val {r['val_loss']:.6g}" if r["val_loss"] is not None else ""
    saved = f"saved to {r['out']}" if r["out"] else "not saved (use --out MODEL.npz)"
    if r["task"] == "classification":
        return (
            f"{r['outcome']}: {r['epochs_run']:,} epochs in {r['seconds']:.2f} s, "
            f"{r['params']:,} parameters · loss train {r['train_loss']:.6g}{val} · test "
            f"{r['test_loss']:.6g} · test accuracy {r['test_accuracy']:.1%}, log loss "
            f"{r['test_log_loss']:.4g} · {saved}"
        )
    rmse = ", ".join(f"{n} {v:.4g}" for n, v in zip(r["outputs"], r["test_rmse"], strict=True))
    return (
        f"{r['outcome']}: {r['epochs_run']:,} epochs in {r['seconds']:.2f} s, {r['params']:,} "
        f"parameters · loss train {r['train_loss']:.6g}{val} · test {r['test_loss']:.6g} "
        f"(article's metric {r['test_seed_loss']:.6g}) · test RMSE {rmse} · {saved}"
    )


def architecture(model: Model) -> str:
    """E.g. "2 → 4 relu → 4 relu → 3 linear"."""
    layers = [f"{layer.units} {layer.activation}" for layer in model.network.layers]
    return " → ".join([str(model.network.n_inputs), *layers])


def model_info(model: Model, path: str) -> dict[str, Any]:
    """What ``info --json`` prints."""
    return {
        "model": printable(path),
        "architecture": architecture(model),
        "layers": [layer.to_dict() for layer in model.network.layers],
        "params": model.network.parameter_count(),
        "inputs": list(model.input_names),
        "outputs": list(model.output_names),
        "task": model.task,
        "classes": list(model.classes),
        "data": model.data_spec.to_dict() if model.data_spec else None,
        "training": model.train_config.to_dict() if model.train_config else None,
        "epochs": model.history.epochs,
        "outcome": model.outcome or None,
        "weights_epoch": model.weights_epoch,
        "metrics": model.metrics,
    }


def info_text(model: Model, path: str) -> str:
    """What ``info`` prints: one "name  value" line per fact, then the final metrics."""
    rows = [("model", printable(path)), ("layers", architecture(model)),
            ("parameters", f"{model.network.parameter_count():,}")]  # fmt: skip
    if isinstance(model.data_spec, DataSpec):
        rows += data_rows(model.data_spec)
    elif isinstance(model.data_spec, CsvSpec):
        rows += csv_rows(model.data_spec)
    elif model.data_spec is not None:
        spec = model.data_spec
        rows.append(("data", f"Playground's {spec.dataset}: {spec.points:,} points, noise "
                             f"{spec.noise:.0%}, features {', '.join(spec.features)}"))  # fmt: skip
    if model.train_config is not None:
        rows.append(("training", training_text(model.train_config)))
    outcome = f" ({model.outcome})" if model.outcome else ""
    rows.append(("epochs", f"{model.history.epochs:,}{outcome}"))
    if model.weights_epoch is not None:
        rows.append(("weights", f"of epoch {model.weights_epoch:,} (restored by training)"))
    text = "\n".join(f"{k:<12}{v}" for k, v in rows)
    if model.metrics:
        try:
            if model.task == "classification":
                table = class_metrics_table(model.metrics, model.classes)
            else:
                table = metrics_table(model.metrics, model.output_names)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            table = "stored in a layout this nngui does not know (see info --json)"
        text += "\n\nfinal metrics\n" + table
    return text


def data_rows(spec: DataSpec) -> list[tuple[str, str]]:
    """Readable lines describing the data settings."""
    n_train, n_val, n_test = spec.split_sizes()
    pairs = zip(INPUT_NAMES, spec.ranges, strict=True)
    ranges = ", ".join(f"{n} in [{lo:g}, {hi:g})" for n, (lo, hi) in pairs)
    return [
        ("inputs", ranges),
        ("outputs", ", ".join(spec.targets)),
        ("data", f"{spec.samples:,} samples, noise {spec.noise:g}, seed {spec.seed}; "
                 f"{n_train:,} train, {n_val:,} validation, {n_test:,} test"),
    ]  # fmt: skip


def csv_rows(spec: CsvSpec) -> list[tuple[str, str]]:
    """Readable lines describing a CSV data set."""
    shuffle = f"shuffled (seed {spec.shuffle_seed})" if spec.shuffle else "in file order"
    split = f"train ratio {spec.train_ratio:g}, validation ratio {spec.val_ratio:g}"
    return [
        ("inputs", ", ".join(spec.inputs)),
        ("outputs", ", ".join(spec.targets)),
        ("data", f"{printable(spec.path)} ({spec.size or 0:,} bytes), missing values: "
                 f"{spec.missing_policy}; rows {shuffle}; {split}"),
    ]  # fmt: skip


def training_text(c: TrainConfig) -> str:
    """The training settings that matter, in one line."""
    parts = [c.optimizer, f"learning rate {c.lr:g}",
             f"batch {c.batch_size}" if c.batch_size else "full batch"]  # fmt: skip
    if c.optimizer == "momentum":
        parts.append(f"momentum {c.momentum:g}")
    if c.l2:
        parts.append(f"L2 {c.l2:g}")
    if c.patience:
        parts.append(f"patience {c.patience:,}")
    if c.time_limit:
        parts.append(f"time limit {c.time_limit:g} s")
    return ", ".join([*parts, f"{c.init} init", c.dtype, f"runs of {c.epochs:,} epochs"])


def metrics_table(metrics: dict[str, Any], outputs: tuple[str, ...]) -> str:
    """Metrics per split and output (original units), then the losses (standardised units)."""
    header = ("split", "output", "RMSE", "MAE", "R²", "max error")
    rows: list[tuple[str, ...]] = [header]
    for split, m in metrics.items():
        for i, name in enumerate(outputs):
            values = (m["rmse"][i], m["mae"][i], m["r2"][i], m["max_error"][i])
            rows.append((split, name, *(f"{v:.6g}" for v in values)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]  # fmt: skip
    losses = ", ".join(f"{s} {m['loss']:.6g} (article's {m['seed_loss']:.6g})"
                       for s, m in metrics.items())  # fmt: skip
    return "\n".join([*lines, f"loss (standardised units): {losses}"])


def class_metrics_table(metrics: dict[str, Any], classes: tuple[str, ...]) -> str:
    """A classifier's accuracy and log loss per split, then per class its precision, recall
    and F1 on the test split (else the last split), and its confusion matrix (rows: the true
    class)."""
    lines = [
        f"{split:<6}accuracy {m['accuracy']:.2%}  log loss {m['log_loss']:.4g}"
        for split, m in metrics.items()
    ]
    shown = "test" if "test" in metrics else next(reversed(metrics), None)
    test = metrics.get(shown) if shown is not None else None
    if test is not None and shown is not None:
        width = max(len(c) for c in (*classes, "class")) + 2
        lines.append(f"{shown:<6}" + "class".ljust(width) + "precision  recall      F1")
        for i, name in enumerate(classes):
            lines.append(
                "      " + name.ljust(width) + f"{test['precision'][i]:9.3f}"
                f"{test['recall'][i]:8.3f}{test['f1'][i]:8.3f}"
            )
        lines.append("confusion (rows: true class, columns: predicted): " + "; ".join(
            f"{name}: {' '.join(str(v) for v in row)}"
            for name, row in zip(classes, test["confusion"], strict=True)
        ))  # fmt: skip
    return "\n".join(lines)


def print_json(value: Any) -> None:
    """Print ``value`` as strict JSON (NaN and infinities become null)."""
    print(json.dumps(_finite(value), indent=2, ensure_ascii=False))


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
