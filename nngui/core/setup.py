"""The one way a new network starts: the data, then the initial weights, from one stream.

The command line and the window both call ``fresh_start``, so the same settings give the same
data and the same network everywhere (the article's order: one ``RandomState(spec.seed)``
draws the inputs, then the noise, then the weights). The standardised splits are float64
whatever the network's precision: the trainer casts them to the network's dtype, and a
network whose precision changes later still trains on the exact data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.data import Dataset, DataSpec, make_dataset
from nngui.core.network import LayerSpec, Network
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset

#: Output activations that belong to classifiers (cross-entropy is fused with them).
CLASSIFIER_OUTPUTS = ("sigmoid", "softmax")


def fresh_start(
    spec: DataSpec | CsvSpec | PlaygroundSpec, layers: Sequence[LayerSpec], init: str = "he",
    dtype: str = "float64",
) -> tuple[Dataset, Network]:  # fmt: skip
    """Draw ``spec``'s data (or read its CSV file), then a network of ``layers`` initialised
    by ``init`` in ``dtype`` (a Playground set's weights from RandomState(seed) of their own,
    as a CSV file's)."""
    if not isinstance(spec, DataSpec):
        return start_on(build_dataset(spec), layers, init, dtype)
    check_output(layers[-1], spec.targets, "regression", ())
    rng = np.random.RandomState(spec.seed)
    dataset = make_dataset(spec, rng)
    network = Network.initialise(dataset.n_inputs, layers, rng, init, np.dtype(dtype))
    return dataset, network


def build_dataset(spec: DataSpec | CsvSpec | PlaygroundSpec, dtype: type = np.float64) -> Dataset:
    """The data set ``spec`` describes: the formulas' or a Playground set drawn again, or the
    CSV file read."""
    if isinstance(spec, CsvSpec):
        return make_csv_dataset(spec, dtype=dtype).dataset
    if isinstance(spec, PlaygroundSpec):
        return make_playground_dataset(spec, dtype=dtype)
    return make_dataset(spec, dtype=dtype)


def task_output(task: str, classes: Sequence[str], regression: LayerSpec) -> LayerSpec:
    """The output layer a data set's task gives: for a classifier one sigmoid unit (two
    classes) or a softmax unit per class (more), else ``regression`` (the user's choice,
    made linear if it was a classifier's)."""
    if task == "classification":
        k = len(classes)
        return LayerSpec(1, "sigmoid") if k == 2 else LayerSpec(k, "softmax")
    if regression.activation in CLASSIFIER_OUTPUTS:
        return LayerSpec(regression.units, "linear")
    return regression


def check_output(
    output: LayerSpec, targets: Sequence[str], task: str, classes: Sequence[str]
) -> None:
    """Refuse an output layer that does not fit the data: a classifier's must be its task's
    (``task_output``), a regression's has a unit per target and no softmax."""
    if task == "classification":
        wanted = task_output(task, classes, output)
        if output != wanted:
            raise ValueError(
                f"a classifier of {len(classes)} classes needs an output layer of "
                f"{wanted.units} {wanted.activation}, not {output.units} {output.activation}"
            )
        return
    if output.units != len(targets):
        raise ValueError(
            f"the output layer has {output.units} units but the data has {len(targets)} targets"
        )
    if output.activation == "softmax":
        raise ValueError("softmax is a classifier's output; a regression needs another one")


def start_on(
    dataset: Dataset, layers: Sequence[LayerSpec], init: str = "he", dtype: str = "float64"
) -> tuple[Dataset, Network]:
    """A fresh network for a data set already read or drawn: its weights from one
    ``RandomState(seed)`` of their own (the data's shuffle has its own stream). Raises
    ValueError when the output layer does not fit the data (``check_output``)."""
    check_output(layers[-1], dataset.output_names, dataset.task, dataset.classes)
    rng = np.random.RandomState(dataset.spec.seed)
    network = Network.initialise(dataset.n_inputs, layers, rng, init, np.dtype(dtype))
    return dataset, network
