"""Settings: everything the user edits, as one immutable, validated value.

``data`` (a DataSpec), ``layers`` (the layers after the input, the output layer last) and
``training`` (a TrainConfig, whose ``init`` and ``dtype`` say how the network starts). Building
one checks that the parts fit together (the output layer has a unit per target, at most
MAX_LAYERS layers); DataSpec and TrainConfig check themselves. ``describe_change`` names an
edit for the Edit menu, and ``starts_new_network`` says whether an edit needs fresh weights.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

from nngui.core.csv_source import CsvSpec
from nngui.core.data import DataSpec
from nngui.core.network import MAX_LAYERS, LayerSpec, seed_layers
from nngui.core.presets import PRESETS, matching_preset
from nngui.core.training import TrainConfig


class SettingsError(ValueError):
    """Settings that cannot be used together; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """The data, the layers after the input (output last) and the training settings."""

    data: DataSpec | CsvSpec = field(default_factory=DataSpec)
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
        outputs, targets = layers[-1].units, len(self.data.targets)
        if outputs != targets:
            raise SettingsError(
                f"the output layer has {outputs} units but the data has {targets} targets"
            )

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
        return "Use the article's formulas"
    labels = CSV_LABELS if isinstance(new.data, CsvSpec) else DATA_LABELS
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
