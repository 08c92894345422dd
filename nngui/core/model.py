"""A trained model: network, scalers, names, and the settings and history that produced it.

This is what the model file stores and what the CLI and GUI pass around. ``predict`` works in
original units: standardise the inputs, forward, undo the output standardisation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nngui.core.classification import (
    Classes,
    classification_metrics,
    cross_entropy_of_probabilities,
)
from nngui.core.csv_source import CsvSpec, check_unchanged, encode, make_csv_dataset
from nngui.core.csv_table import Table
from nngui.core.data import Dataset, DataSpec, InputColumn, Split, make_dataset
from nngui.core.losses import objective, regression_metrics, seed_loss
from nngui.core.network import Network
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.scaling import Scaler
from nngui.core.training import History, TrainConfig


@dataclass
class Model:
    """A network with its train-set scalers and everything needed to reproduce it.

    ``data_spec`` regenerates the data set (the formulas' DataSpec, or the CsvSpec of a CSV
    file, which is read again); ``input_columns`` say how CSV columns enter the network (empty:
    numeric inputs named ``input_names``); ``train_config`` is the last training settings;
    ``metrics`` holds the final metrics (see ``evaluate``); ``outcome`` how training ended;
    ``weights_epoch`` the epoch whose weights the network holds when training restored earlier
    ones (best validation loss, or the last finite weights after a divergence), None when they
    are the last epoch's.
    """

    network: Network
    x_scaler: Scaler
    y_scaler: Scaler
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    data_spec: DataSpec | CsvSpec | PlaygroundSpec | None = None
    train_config: TrainConfig | None = None
    history: History = field(default_factory=History)
    metrics: dict[str, Any] = field(default_factory=dict)
    outcome: str = ""
    weights_epoch: int | None = None
    input_columns: tuple[InputColumn, ...] = ()
    #: "regression", or "classification": the outputs are then class probabilities.
    task: str = "regression"
    classes: tuple[str, ...] = ()

    @classmethod
    def from_dataset(
        cls,
        network: Network,
        dataset: Dataset,
        train_config: TrainConfig | None = None,
        history: History | None = None,
    ) -> Model:
        """Bundle a network with the scalers and names of the data set it was trained on."""
        return cls(
            network=network,
            x_scaler=dataset.x_scaler,
            y_scaler=dataset.y_scaler,
            input_names=tuple(dataset.input_names),
            output_names=tuple(dataset.output_names),
            data_spec=dataset.spec,
            train_config=train_config,
            history=history if history is not None else History(),
            input_columns=tuple(dataset.columns),
            task=dataset.task,
            classes=tuple(dataset.classes),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Outputs in original units for raw inputs x of shape (n, n_inputs) (or (n_inputs,))."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if x.shape[1] != self.network.n_inputs:
            raise ValueError(f"expected {self.network.n_inputs} inputs per row, got {x.shape[1]}")
        ys = self.network.forward(self.x_scaler.transform(x))
        return self.y_scaler.inverse(ys)

    def regenerate_data(self) -> Dataset:
        """Regenerate the data set the model was trained on (same spec, same draws).

        The scalers are recomputed from the regenerated training split; they equal the stored
        ones for data that the spec describes.
        """
        if self.data_spec is None:
            raise ValueError("this model does not record its data settings")
        dtype = self.network.dtype
        if isinstance(self.data_spec, CsvSpec):
            check_unchanged(self.data_spec)
            return make_csv_dataset(self.data_spec, dtype=dtype.type).dataset
        if isinstance(self.data_spec, PlaygroundSpec):
            return make_playground_dataset(self.data_spec, dtype=dtype.type)
        return make_dataset(self.data_spec, dtype=dtype.type)

    def table_inputs(self, table: Table) -> np.ndarray:
        """The raw input matrix of ``table``'s rows for this model (its input columns found by
        name; NaN in a row with a missing or unknown value); raises CsvError."""
        columns = self.input_columns or tuple(InputColumn(n) for n in self.input_names)
        return encode(columns, table)

    def training_data(self, dtype: type | None = None) -> Dataset:
        """The regenerated data set standardised by the model's *stored* scalers.

        This is the data to continue training on, or to explain the model with: the stored
        scalers are the ones its weights were learnt under. The standardised splits are of
        ``dtype`` (default: the network's).
        """
        ds = self.regenerate_data()
        as_type = self.network.dtype if dtype is None else np.dtype(dtype)

        def rescale(split: Split) -> Split:
            xs = self.x_scaler.transform(split.x).astype(as_type)
            ys = self.y_scaler.transform(split.y).astype(as_type)
            return Split(split.x, split.y, xs, ys)

        val = None if ds.val is None else rescale(ds.val)
        return dataclasses.replace(
            ds, train=rescale(ds.train), val=val, test=rescale(ds.test),
            x_scaler=self.x_scaler, y_scaler=self.y_scaler,
        )  # fmt: skip

    def evaluate(self, dataset: Dataset) -> dict[str, Any]:
        """Metrics on every split of ``dataset``, using the model's own scalers.

        Returns {"train": {...}, "val": {...} (if any), "test": {...}} where each part holds
        per-output lists "mse", "rmse", "mae", "r2", "max_error" (original units), plus
        "loss" (training objective) and "seed_loss" (the article's metric), standardised units.
        """
        result: dict[str, Any] = {}
        for name in ("train", "val", "test"):
            split = getattr(dataset, name)
            if split is None or len(split) == 0:
                continue
            # Weights kept after a divergence can be finite but huge: overflow to inf is an
            # honest answer there, not an error.
            with np.errstate(all="ignore"):
                result[name] = self._split_metrics(split.x, split.y)
        return result

    def _split_metrics(self, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
        if self.task == "classification":
            return self._class_metrics(x, y)
        xs = self.x_scaler.transform(x)
        ys = self.y_scaler.transform(y)
        yhat_s = self.network.forward(xs).astype(np.float64)
        part: dict[str, Any] = regression_metrics(self.y_scaler.inverse(yhat_s), y).to_dict()
        part["loss"] = objective(yhat_s, ys)
        part["seed_loss"] = seed_loss(yhat_s, ys)
        return part

    def _class_metrics(self, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
        """Accuracy, log loss, per-class precision, recall, F1, the confusion matrix, and
        "loss" (the training objective): ``y`` codes the classes (0/1, or one-hot)."""
        classes = Classes(self.classes)
        p = self.network.forward(self.x_scaler.transform(x)).astype(np.float64)
        true = y[:, 0].astype(np.int64) if classes.k == 2 else np.argmax(y, axis=1)
        part = classification_metrics(classes.class_probabilities(p), true, classes.k).to_dict()
        part["loss"] = cross_entropy_of_probabilities(p, y)
        return part
