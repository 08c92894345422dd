"""``nngui train --dataset NAME``: train on one of TensorFlow Playground's sets.

``--dataset circle|xor|gauss|spiral`` trains a classifier (one sigmoid output, cross-entropy;
its output layer follows the task), ``plane`` or ``multi-gauss`` a regression; ``--points``,
``--noise`` (a percentage, 0 to 50, as Playground's slider), ``--features`` (from x1, x2, x1^2,
x2^2, x1x2, sin_x1, sin_x2) and the data options ``--seed``, ``--train-ratio`` and
``--val-ratio`` say how the set is drawn.
"""

from __future__ import annotations

import argparse

from nngui.cli_args import DEFAULT_POINTS, UsageError
from nngui.core.data import Dataset, DataSpecError
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.setup import task_output

#: The formulas' options that mean nothing for a Playground set.
NOT_FOR_PLAYGROUND = ("samples", "low", "high", "targets", "csv")


def check_no_playground_options(args: argparse.Namespace) -> None:
    """Refuse ``--points`` and ``--features`` without ``--dataset``."""
    for name in ("points", "features"):
        if getattr(args, name, None) is not None:
            raise UsageError(f"--{name} needs --dataset NAME")


def playground_spec(args: argparse.Namespace, val_ratio: float) -> PlaygroundSpec:
    """The set ``--dataset`` and its options describe (``val_ratio`` unless --val-ratio)."""
    for name in NOT_FOR_PLAYGROUND:
        if getattr(args, name, None) is not None:
            raise UsageError(f"--{name} is not for --dataset (its inputs are x1, x2, its target "
                             "label)")  # fmt: skip
    noise = 0.0 if args.noise is None else args.noise
    if not 0 <= noise <= 50:
        raise UsageError(f"--noise with --dataset is a percentage from 0 to 50, not {noise:g}")
    features = ("x1", "x2")
    if args.features is not None:
        features = tuple(f.strip() for f in args.features.split(",") if f.strip())
    try:
        return PlaygroundSpec(
            dataset=args.dataset, points=DEFAULT_POINTS if args.points is None else args.points,
            noise=noise / 100, seed=0 if args.seed is None else args.seed, features=features,
            train_ratio=0.5 if args.train_ratio is None else args.train_ratio,
            val_ratio=val_ratio if args.val_ratio is None else args.val_ratio,
        )  # fmt: skip
    except DataSpecError as exc:
        raise UsageError(f"--dataset {args.dataset}: {exc}") from None


def playground_dataset(args: argparse.Namespace, val_ratio: float) -> Dataset:
    """The data set of ``--dataset``: drawn, shuffled, split and standardised."""
    return make_playground_dataset(playground_spec(args, val_ratio))


def output_layer(args: argparse.Namespace, ds: Dataset, regression: LayerSpec) -> LayerSpec:
    """The output layer: for a classifier the task chooses it (one sigmoid unit for two
    classes, a softmax unit per class for more), else ``regression`` (the preset's or
    --output-activation's)."""
    if ds.task != "classification":
        return regression
    output = task_output(ds.task, ds.classes, regression)
    if getattr(args, "output_activation", None) not in (None, output.activation):
        raise UsageError(
            "--output-activation: a classifier's output follows its task (one sigmoid unit "
            "for two classes, softmax for more)"
        )
    return output
