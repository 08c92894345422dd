"""Named starting points: the article's setup, and the recommended fast and accurate one.

A preset fixes the data settings, the layers after the input and the training settings, so
that the GUI and the CLI mean the same thing by a name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nngui.core.data import DataSpec, split_counts
from nngui.core.network import LayerSpec, seed_layers
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.training import TrainConfig


@dataclass(frozen=True)
class Preset:
    """A complete set-up: data, layers (hidden and output) and training settings."""

    name: str
    description: str
    data: DataSpec | PlaygroundSpec
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
        "One hidden layer of 32 relu units with Xavier initialisation (zero biases, so every "
        "kink starts at the origin), Adam on minibatches of 128, float32, and a validation "
        "split whose best weights are kept: test RMSE well below 0.01 on the seed task within "
        "ten seconds (docs/performance.md)."
    ),
    data=DataSpec(val_ratio=0.15),
    layers=(LayerSpec(32, "relu"), LayerSpec(3, "linear")),
    training=TrainConfig(
        optimizer="adam",
        lr=0.001,
        batch_size=128,
        epochs=100_000,
        time_limit=10.0,
        init="xavier",
        dtype="float32",
    ),
)

#: What the fast preset adds on own data: early stopping on its validation split.
FAST_OWN_DATA_PATIENCE = 1000


#: The fast preset for a classifier: two hidden layers and a ten times larger step, which
#: leave the 50/50 plateau of a spiral within the patience (bench_playground.py).
FAST_CLASSIFIER = Preset(
    name=FAST.name,
    description=FAST.description,
    data=FAST.data,
    layers=(LayerSpec(32, "relu"), LayerSpec(32, "relu"), LayerSpec(1, "sigmoid")),
    training=replace(FAST.training, lr=0.01),
)


def preset_for_task(preset: Preset, task: str) -> Preset:
    """``preset`` as it applies to a ``task``: the fast preset has its own shape and step
    for classification; every other preset is the same for every task."""
    if preset is FAST and task == "classification":
        return FAST_CLASSIFIER
    return preset


def training_on_own_data(preset: Preset, n_train: int, validation: bool) -> TrainConfig:
    """``preset``'s training settings for a data set of ``n_train`` training rows (with a
    ``validation`` split or not): the fast preset takes batches of at most a quarter of the
    rows and stops early on the validation split, restoring the best weights."""
    if preset.name != FAST.name:
        return preset.training
    return replace(
        preset.training, batch_size=min(preset.training.batch_size, max(1, n_train // 4)),
        patience=FAST_OWN_DATA_PATIENCE if validation else 0,
    )  # fmt: skip


def playground_preset(dataset: str) -> Preset:
    """The fast classifier on Playground's ``dataset`` (500 points, noise 0, half of them to
    train, a validation share to stop on): the boundary within a few seconds
    (bench_playground.py)."""
    data = PlaygroundSpec(dataset=dataset, val_ratio=FAST.data.val_ratio)
    n_train = split_counts(data.points, data.train_ratio, data.val_ratio)[0]
    return Preset(
        name=f"Playground: {dataset}",
        description=(
            f"Playground's {dataset} set (500 points, no noise, half of them to train) and "
            "the fast classifier: two hidden layers of 32 relu units, Adam, early stopping "
            "on a validation share with the best weights kept."
        ),
        data=data,
        layers=FAST_CLASSIFIER.layers,
        training=training_on_own_data(FAST_CLASSIFIER, n_train, validation=True),
    )


PRESETS: dict[str, Preset] = {
    p.name: p for p in (ARTICLE, FAST, playground_preset("circle"), playground_preset("spiral"))
}


def matching_preset(
    data: object, layers: list[LayerSpec] | tuple[LayerSpec, ...], training: TrainConfig
) -> str | None:
    """The name of the preset with exactly these settings, or None (custom settings)."""
    for preset in PRESETS.values():
        if (data, tuple(layers), training) == (preset.data, preset.layers, preset.training):
            return preset.name
    return None
