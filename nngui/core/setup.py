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

from nngui.core.data import Dataset, DataSpec, make_dataset
from nngui.core.network import LayerSpec, Network


def fresh_start(
    spec: DataSpec, layers: Sequence[LayerSpec], init: str = "he", dtype: str = "float64"
) -> tuple[Dataset, Network]:
    """Draw ``spec``'s data, then a network of ``layers`` initialised by ``init`` in ``dtype``."""
    rng = np.random.RandomState(spec.seed)
    dataset = make_dataset(spec, rng)
    network = Network.initialise(dataset.n_inputs, layers, rng, init, np.dtype(dtype))
    return dataset, network
