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


def fresh_start(
    spec: DataSpec | CsvSpec, layers: Sequence[LayerSpec], init: str = "he",
    dtype: str = "float64",
) -> tuple[Dataset, Network]:  # fmt: skip
    """Draw ``spec``'s data (or read its CSV file), then a network of ``layers`` initialised
    by ``init`` in ``dtype``."""
    if isinstance(spec, CsvSpec):
        return start_on(make_csv_dataset(spec).dataset, layers, init, dtype)
    rng = np.random.RandomState(spec.seed)
    dataset = make_dataset(spec, rng)
    network = Network.initialise(dataset.n_inputs, layers, rng, init, np.dtype(dtype))
    return dataset, network


def build_dataset(spec: DataSpec | CsvSpec, dtype: type = np.float64) -> Dataset:
    """The data set ``spec`` describes: the formulas' drawn again, or the CSV file read."""
    if isinstance(spec, CsvSpec):
        return make_csv_dataset(spec, dtype=dtype).dataset
    return make_dataset(spec, dtype=dtype)


def start_on(
    dataset: Dataset, layers: Sequence[LayerSpec], init: str = "he", dtype: str = "float64"
) -> tuple[Dataset, Network]:
    """A fresh network for a CSV data set already read: its weights from one
    ``RandomState(seed)`` of its own (the data's shuffle has its own stream)."""
    rng = np.random.RandomState(dataset.spec.seed)
    network = Network.initialise(dataset.n_inputs, layers, rng, init, np.dtype(dtype))
    return dataset, network
