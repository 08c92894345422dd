"""Named starting points: the article's setup, and the recommended fast and accurate one.

A preset fixes the data settings, the layers after the input and the training settings, so
that the GUI and the CLI mean the same thing by a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec, seed_layers
from nngui.core.training import TrainConfig


@dataclass(frozen=True)
class Preset:
    """A complete set-up: data, layers (hidden and output) and training settings."""

    name: str
    description: str
    data: DataSpec
    layers: tuple[LayerSpec, ...]
    training: TrainConfig


ARTICLE = Preset(
    name="The article's setup",
    description=(
        "Exactly the seed article: 2-4-4-3 relu network, He initialisation, full-batch "
        "gradient descent, learning rate 0.01, 1,000 epochs."
    ),
    data=DataSpec(),
    layers=tuple(seed_layers(3)),
    training=TrainConfig(),
)

FAST = Preset(
    name="Fast and accurate",
    description=(
        "Wider network, Adam on minibatches and a validation split whose best weights are "
        "kept: reaches a test RMSE near 0.01 on the seed task in about ten seconds."
    ),
    data=DataSpec(val_ratio=0.15),
    layers=(LayerSpec(64, "relu"), LayerSpec(64, "relu"), LayerSpec(3, "linear")),
    training=TrainConfig(
        optimizer="adam", lr=0.003, batch_size=64, epochs=2000, patience=0, time_limit=10.0
    ),
)

PRESETS: dict[str, Preset] = {p.name: p for p in (ARTICLE, FAST)}
