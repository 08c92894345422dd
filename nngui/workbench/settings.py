"""Settings: everything the user edits, as one immutable, validated value.

``data`` (the article's formulas, a Playground set or a CSV file), ``layers`` (the layers after
the input, the output layer last) and ``training`` (a TrainConfig, whose ``init`` and ``dtype``
say how the network starts). Building one checks that the parts fit together (the output layer
is the task's: a unit per target for a regression, one sigmoid or a softmax per class for a
classifier; at most MAX_LAYERS layers); the data specs and TrainConfig check themselves.
``describe_change`` names an edit for the Edit menu, and ``starts_new_network`` says whether
an edit needs fresh weights.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

from nngui.core.csv_source import CsvSpec
from nngui.core.data import DataSpec
from nngui.core.network import MAX_LAYERS, LayerSpec, seed_layers
from nngui.core.playground_source import PLAYGROUND_CLASSES, PlaygroundSpec
from nngui.core.presets import PRESETS, matching_preset
from nngui.core.setup import CLASSIFIER_OUTPUTS, check_output
from nngui.core.training import TrainConfig

#: Every kind of data the window trains on.
DataSource = DataSpec | CsvSpec | PlaygroundSpec


class SettingsError(ValueError):
    """Settings that cannot be used together; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """The data, the layers after the input (output last) and the training settings."""

    data: DataSource = field(default_factory=DataSpec)
    layers: tuple[LayerSpec, ...] = tuple(seed_layers(3))
    training: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        layers = tuple(self.layers)
        object.__setattr__(self, "layers", layers)
        if not layers:
            raise SettingsError("a network needs at least its output layer")
        if len(layers) > MAX_LAYERS:
            raise SettingsError(f"at most {MAX_LAYERS} layers, got {len(layers)}")
        if not all(isinstance(layer, LayerSpec) for layer in layers):
            raise SettingsError("every layer must be a LayerSpec")
        try:
            check_data_output(self.data, layers[-1])
        except ValueError as exc:
            raise SettingsError(str(exc)) from None

    @classmethod
    def from_preset(cls, name: str) -> Settings:
        """The settings of the preset called ``name`` (a key of core.presets.PRESETS)."""
        if name not in PRESETS:
            raise SettingsError(f"no preset called {name!r}; known: {', '.join(PRESETS)}")
        preset = PRESETS[name]
        return cls(preset.data, preset.layers, preset.training)

    @property
    def hidden(self) -> tuple[LayerSpec, ...]:
        """The hidden layers (all but the output layer)."""
        return self.layers[:-1]

    @property
    def preset(self) -> str | None:
        """The name of the preset these settings are exactly, or None (custom settings)."""
        return matching_preset(self.data, self.layers, self.training)

    def replace(self, **parts: Any) -> Settings:
        """A copy with some parts replaced (``data=…``, ``layers=…``, ``training=…``)."""
        return dataclasses.replace(self, **parts)


def check_data_output(data: DataSource, output: LayerSpec) -> None:
    """Refuse an output layer that cannot fit ``data`` (ValueError). A CSV file's task may
    only be known once it is read: there a classifier's output (one sigmoid unit, or a
    softmax unit per class) passes, and reading the file checks it (core.setup.start_on)."""
    if isinstance(data, PlaygroundSpec):
        classes = PLAYGROUND_CLASSES if data.task == "classification" else ()
        check_output(output, data.targets, data.task, classes)
        return
    if isinstance(data, CsvSpec) and data.task != "regression":
        one_label = len(data.targets) == 1 and output.activation in CLASSIFIER_OUTPUTS
        if one_label and (output.activation == "sigmoid") == (output.units == 1):
            return
        if data.task == "classification":
            raise ValueError("a classifier's output layer is one sigmoid unit or a softmax")
    check_output(output, data.targets, "regression", ())


def starts_new_network(old: Settings, new: Settings) -> bool:
    """Whether going from ``old`` to ``new`` needs new data or weights: the data, the layers,
    the initialisation or the precision changed (other training settings keep the network)."""
    return (
        old.data != new.data
        or old.layers != new.layers
        or old.training.init != new.training.init
        or old.training.dtype != new.training.dtype
    )


#: How each setting is named in the Edit menu.
DATA_LABELS = {
    "samples": "samples", "ranges": "input ranges", "targets": "targets", "noise": "noise",
    "train_ratio": "training share", "val_ratio": "validation share", "seed": "random seed",
}  # fmt: skip
CSV_LABELS = {
    "path": "CSV file", "inputs": "inputs", "targets": "targets", "dialect": "reader settings",
    "missing_policy": "missing values", "shuffle": "shuffle", "shuffle_seed": "shuffle seed",
    "train_ratio": "training share", "val_ratio": "validation share",
}  # fmt: skip
PLAYGROUND_LABELS = {
    "dataset": "data set", "points": "points", "noise": "noise", "seed": "random seed",
    "features": "features", "train_ratio": "training share", "val_ratio": "validation share",
}  # fmt: skip
TRAINING_LABELS = {
    "optimizer": "optimiser", "lr": "learning rate", "batch_size": "batch size",
    "momentum": "momentum", "l2": "L2 weight decay", "epochs": "epochs",
    "patience": "early-stopping patience", "time_limit": "time limit",
    "init": "initialisation", "dtype": "precision", "shuffle_seed": "shuffle seed",
    "class_weight": "class weights",
}  # fmt: skip


def _shown(value: object) -> str:
    """A setting's value as the Edit menu shows it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:g}"
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return str(value)


def _changed_fields(old: object, new: object, labels: dict[str, str]) -> list[tuple[str, object]]:
    return [
        (labels.get(f.name, f.name), getattr(new, f.name))
        for f in dataclasses.fields(old)  # type: ignore[arg-type]
        if f.compare and getattr(old, f.name) != getattr(new, f.name)
    ]


def describe_change(old: Settings, new: Settings) -> str:
    """A name for the edit from ``old`` to ``new``: "Set learning rate to 0.001", "Set the
    layers to 8 relu → 3 linear", "Apply preset Fast and accurate", "Change 3 settings"."""
    if new.preset is not None and new.preset != old.preset and old != new:
        return f"Apply preset {new.preset}"
    if type(old.data) is not type(new.data):
        if isinstance(new.data, CsvSpec):
            return f"Use the data of {os.path.basename(new.data.path)}"
        if isinstance(new.data, PlaygroundSpec):
            return f"Use Playground's {new.data.dataset} set"
        return "Use the article's formulas"
    if isinstance(new.data, PlaygroundSpec) and new.data.dataset != old.data.dataset:  # type: ignore[union-attr]
        return f"Use Playground's {new.data.dataset} set"
    labels = {CsvSpec: CSV_LABELS, PlaygroundSpec: PLAYGROUND_LABELS}.get(
        type(new.data), DATA_LABELS
    )
    changes = _changed_fields(old.data, new.data, labels)
    changes += _changed_fields(old.training, new.training, TRAINING_LABELS)
    # The output layer's units follow the targets: only the rest of the layers is an edit.
    layers_changed = (old.hidden, old.layers[-1].activation) != (
        new.hidden,
        new.layers[-1].activation,
    )
    if layers_changed and not changes:
        shape = " → ".join(f"{layer.units} {layer.activation}" for layer in new.layers)
        return f"Set the layers to {shape}"
    if len(changes) == 1 and not layers_changed:
        label, value = changes[0]
        if label in ("input ranges", "reader settings"):
            return f"Change the {label}"
        if label == "CSV file":
            return f"Use the data of {os.path.basename(str(value))}"
        return f"Set {label} to {_shown(value)}"
    count = len(changes) + layers_changed
    return f"Change {count} settings" if count else "No change"
