"""Save and load models as ``.npz`` files that plain ``numpy.load(path, allow_pickle=False)`` reads.

The format is described in docs/model-format.md: arrays ``W1 … WL``, ``b1 … bL``, the scalers
``x_mean x_std y_mean y_std``, optional ``history_*`` loss and accuracy arrays, and ``meta``, a
0-d string array of JSON. Loading never unpickles and checks every name, shape, dtype, size
and value before it builds anything; saving writes a temporary file and renames it over the
target, so that a crash leaves the previous file intact. Every problem is one ``ModelFileError``.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import tokenize
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

import numpy as np

import nngui
from nngui.core.atomic_file import write_atomically
from nngui.core.classification import Classes
from nngui.core.csv_dialect import CsvError
from nngui.core.csv_source import CsvSpec
from nngui.core.data import DataSpec, DataSpecError, InputColumn
from nngui.core.model import Model
from nngui.core.network import (
    MAX_LAYERS,
    MAX_UNITS,
    LayerSpec,
    Network,
    check_cross_entropy_output,
    count_parameters,
)
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.scaling import Scaler
from nngui.core.training import (
    HISTORY_SERIES,
    OUTCOMES,
    History,
    TrainConfig,
    TrainConfigError,
)

FORMAT_NAME = "nngui-model"
FORMAT_VERSION = 2

MAX_PARAMETERS = 50_000_000
MAX_META_CHARS = 10_000_000
MAX_HISTORY_POINTS = 10_000_000  # History keeps each series in a buffer of twice its length
MAX_MEMBERS = 1024
MAX_NPY_HEADER = 65_536  # bytes of one .npy header (NumPy writes well under 1,000)
MAX_META_NUMBER = 1e300  # any number in meta lies within ±MAX_META_NUMBER
#: The history arrays (``history_<key>``), each optional; those measured at the evaluation
#: epochs (all but train_loss) read as NaN when missing: files before the accuracies lack them.
HISTORY_KEYS = HISTORY_SERIES
#: The history arrays with one value per evaluation epoch.
_EVAL_KEYS = tuple(k for k in HISTORY_KEYS if k not in ("train_loss", "eval_epochs"))
SCALER_KEYS = ("x_mean", "x_std", "y_mean", "y_std")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive
_LAYER_KEY = re.compile(r"([Wb])([1-9][0-9]{0,2})")
# What a damaged or hostile archive can raise while numpy and zipfile read it.
_READ_ERRORS = (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, zipfile.BadZipFile,
                zlib.error, NotImplementedError, RecursionError, OverflowError, SyntaxError,
                tokenize.TokenError, MemoryError)  # fmt: skip


class ModelFileError(Exception):
    """A model file cannot be saved or loaded; the one-line message names the file and why."""


class _ContentError(ModelFileError):
    """A problem in a file's contents; load and save add the file name to the message."""


# ----- versions ---------------------------------------------------------------------------
def _v1_to_v2(meta: dict[str, Any]) -> dict[str, Any]:
    """Version 2 names the data's source (the formulas or a CSV file) and says how each input
    column enters the network; every version-1 file holds the formulas' numeric inputs."""
    if isinstance(meta.get("data"), dict):
        meta["data"] = {"source": "formulas", **meta["data"]}
    meta["input_columns"] = []
    return meta


#: version n → function turning meta of version n into meta of version n + 1 (orange3-style).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Upgrade ``meta`` from the version it declares to FORMAT_VERSION, one step at a time.

    Raises ModelFileError (without the file name) for a newer version, made by a newer nngui,
    or an unknown one.
    """
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _ContentError(f"format version must be a whole number, got {version!r}")
    if version > FORMAT_VERSION:
        raise _ContentError(
            f"made by a newer nngui (format version {version}; this nngui reads versions up "
            f"to {FORMAT_VERSION}): update nngui to open it"
        )
    first = min([*MIGRATIONS, FORMAT_VERSION])
    if version < first:
        raise _ContentError(f"unknown format version {version}")
    while version < FORMAT_VERSION:
        meta = MIGRATIONS[version](dict(meta))
        version += 1
        meta["version"] = version
    return meta


# ----- the arrays and meta behind a file (shared by save and load) -------------------------
@dataclass
class _Members:
    """An archive's arrays: (shape, dtype) of each without reading it, and a reader."""

    headers: dict[str, tuple[tuple[int, ...], np.dtype]]
    read: Callable[[str], np.ndarray]

    def shape(self, key: str) -> tuple[int, ...]:
        """Shape of a required array (its absence is an error)."""
        if key not in self.headers:
            raise _ContentError(f"'{key}' is missing")
        return self.headers[key][0]

    def floats(self, key: str, what: str) -> np.ndarray:
        """Read a float32/float64 array, in native byte order."""
        dtype = self.headers[key][1]
        if dtype.kind != "f" or dtype.itemsize not in (4, 8):
            raise _ContentError(f"{what} ('{key}') must be float32 or float64, not {dtype}")
        return np.asarray(self.read(key), dtype=dtype.newbyteorder("="))


def _parse(members: _Members) -> Model:
    """Check everything in ``members`` and build the Model; raises _ContentError."""
    meta = _read_meta(members)
    layers = _layers(meta)
    inputs, outputs = _names(meta, "inputs"), _names(meta, "outputs")
    task, classes = _task(meta, len(outputs), layers[-1])
    # A classifier's one label column gives a network output per class (one for two).
    n_net = Classes(classes).outputs if task == "classification" else len(outputs)
    dtype = _check_shapes(members, len(inputs), layers, n_net, meta.get("dtype"))
    _check_history(members, meta.get("epochs"))  # every size is known before any data is read
    network = _network(members, len(inputs), layers, dtype)
    x_scaler, y_scaler = _scaler(members, "x"), _scaler(members, "y")
    columns = _input_columns(meta, inputs)
    data_spec, train_config = _settings(meta, len(inputs), len(outputs))
    history = _history(members)
    outcome = meta.get("outcome", "")
    if outcome not in ("", *OUTCOMES):
        raise _ContentError(f"unknown outcome {outcome!r}")
    metrics = meta.get("metrics", {})
    if not isinstance(metrics, dict):
        raise _ContentError("metrics must be a JSON object")
    return Model(
        network, x_scaler, y_scaler, inputs, outputs, data_spec, train_config, history,
        _nan_for_null(metrics), outcome, _weights_epoch(meta, history.epochs), columns,
        task, classes,
    )  # fmt: skip


def _task(meta: dict[str, Any], n_outputs: int, output: LayerSpec) -> tuple[str, tuple[str, ...]]:
    """The task and classes (regression and none when the file does not say); a classifier
    names its one label column in ``outputs``."""
    task, classes = meta.get("task", "regression"), meta.get("classes", [])
    if task not in ("regression", "classification"):
        raise _ContentError(f"unknown task {task!r}")
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
        raise _ContentError("meta 'classes' must be a list of names")
    if task == "classification":
        try:
            codes = Classes(tuple(classes))
            check_cross_entropy_output(output)
        except ValueError as exc:
            raise _ContentError(f"invalid classes: {exc}") from None
        if n_outputs != 1:
            raise _ContentError(f"a classifier has one label column, not {n_outputs} outputs")
        if codes.outputs != output.units:
            raise _ContentError(
                f"{codes.k} classes need {codes.outputs} output units, not {output.units}"
            )
    elif classes:
        raise _ContentError("a regression model has no classes")
    return task, tuple(classes)


def _weights_epoch(meta: dict[str, Any], epochs: int) -> int | None:
    """The optional epoch of the weights held: a whole number from 0 to the epochs trained."""
    value = meta.get("weights_epoch")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= epochs:
        raise _ContentError(
            f"weights_epoch must be a whole number from 0 to the {epochs:,} epochs trained, "
            f"got {value!r}"
        )
    return value


def _read_meta(members: _Members) -> dict[str, Any]:
    """The meta JSON, parsed, format-checked and migrated to the current version."""
    if "meta" not in members.headers:  # e.g. a plain np.savez archive of someone's arrays
        raise _ContentError("not an nngui model file (it has no 'meta' entry)")
    shape = members.shape("meta")
    dtype = members.headers["meta"][1]
    if shape != () or dtype.kind != "U":
        raise _ContentError(f"'meta' must be a 0-d text array, not {dtype} of shape {shape}")
    if dtype.itemsize // 4 > MAX_META_CHARS:
        raise _ContentError(f"'meta' is larger than {MAX_META_CHARS:,} characters")
    try:
        meta = json.loads(str(members.read("meta")[()]))
    except (ValueError, RecursionError) as exc:
        raise _ContentError(f"'meta' is not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise _ContentError(f"'meta' must be a JSON object, not {type(meta).__name__}")
    _check_json_values(meta, "meta")
    if meta.get("format") != FORMAT_NAME:
        raise _ContentError(
            f"not an nngui model (format {meta.get('format')!r}, not {FORMAT_NAME!r})"
        )
    return migrate_meta(meta)


def _check_json_values(value: Any, where: str) -> None:
    """Every number in ``value`` finite and within ±MAX_META_NUMBER, every string clean text.

    Clean text has no control characters and no lone surrogates (JSON can spell both).
    """
    stack = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, dict):
            for key, v in item.items():
                _check_text(key, at)
                stack.append((v, f"{at}.{key}"))
        elif isinstance(item, list):
            stack.extend((v, f"{at}[{i}]") for i, v in enumerate(item))
        elif isinstance(item, str):
            _check_text(item, at)
        elif isinstance(item, int | float) and not isinstance(item, bool) and _bad_number(item):
            shown = "a number too large" if isinstance(item, int) else item
            raise _ContentError(
                f"{at[:80]} holds {shown}; numbers must be finite and within ±{MAX_META_NUMBER:g}"
            )


def _bad_number(x: float) -> bool:
    """True for NaN, infinities and numbers beyond ±MAX_META_NUMBER (ints compared exactly)."""
    return not (isinstance(x, int) or math.isfinite(x)) or abs(x) > MAX_META_NUMBER


def _check_text(text: str, where: str) -> None:
    """Refuse control characters and lone surrogates in a meta string."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise _ContentError(
                f"{where[:80]} holds the character U+{ord(ch):04X} (a control character or "
                "lone surrogate); text in meta must be printable"
            )


def _layers(meta: dict[str, Any]) -> list[LayerSpec]:
    """LayerSpecs from meta["layers"]: a list of {"units", "activation"} objects."""
    layers = meta.get("layers")
    if not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS:
        raise _ContentError(f"meta 'layers' must be a list of 1 to {MAX_LAYERS} layers")
    specs = []
    for i, layer in enumerate(layers, 1):
        units = layer.get("units") if isinstance(layer, dict) else None
        activation = layer.get("activation") if isinstance(layer, dict) else None
        if not isinstance(units, int) or isinstance(units, bool) or not isinstance(activation, str):
            raise _ContentError(f"layer {i} must be {{'units': whole number, 'activation': name}}")
        try:
            specs.append(LayerSpec(units, activation))
        except ValueError as exc:
            raise _ContentError(f"layer {i}: {exc}") from None
    return specs


def _names(meta: dict[str, Any], key: str) -> tuple[str, ...]:
    """meta[key] as a tuple of non-empty strings."""
    names = meta.get(key)
    if not isinstance(names, list) or not 1 <= len(names) <= MAX_UNITS:
        raise _ContentError(f"meta '{key}' must be a list of 1 to {MAX_UNITS} names")
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise _ContentError(f"meta '{key}' must hold non-empty strings")
    return tuple(names)


def _check_shapes(
    members: _Members, n_inputs: int, layers: list[LayerSpec], n_outputs: int, declared: Any
) -> np.dtype:
    """Check the layer and scaler arrays against the meta (headers only); return their dtype."""
    _check_numbering(members.headers, len(layers))
    if count_parameters(n_inputs, layers) > MAX_PARAMETERS:
        raise _ContentError(f"more than {MAX_PARAMETERS:,} parameters")
    if layers[-1].units != n_outputs:
        raise _ContentError(f"the last layer has {layers[-1].units} units but {n_outputs} outputs")
    sizes = [n_inputs] + [layer.units for layer in layers]
    for l in range(1, len(sizes)):
        _check_layer(members, l, sizes[l - 1], sizes[l])
    dtypes = {members.headers[f"{c}{l}"][1] for c in "Wb" for l in range(1, len(sizes))}
    if len(dtypes) != 1:
        raise _ContentError("weights and biases must all have the same dtype")
    dtype = dtypes.pop()
    if declared is not None and declared != dtype.name:
        raise _ContentError(f"meta says dtype {declared!r} but the weights are {dtype.name}")
    for key in SCALER_KEYS:
        n = n_inputs if key[0] == "x" else n_outputs
        if members.shape(key) != (n,):
            raise _ContentError(f"'{key}' has shape {members.shape(key)}, expected ({n},)")
    return dtype


def _check_numbering(headers: Mapping[str, Any], n_layers: int) -> None:
    """W1 … WL and b1 … bL must be exactly the layers that meta lists."""
    for c, what in (("W", "weights"), ("b", "biases")):
        found = sorted(int(m[2]) for k in headers if (m := _LAYER_KEY.fullmatch(k)) and m[1] == c)
        if found != list(range(1, n_layers + 1)):
            listed = ", ".join(f"{c}{i}" for i in found) or "none"
            raise _ContentError(f"meta lists {n_layers} layers but the {what} are {listed}")


def _check_layer(members: _Members, l: int, fan_in: int, fan_out: int) -> None:
    """Layer l's W must be (fan_in, fan_out) and b (fan_out,), both float."""
    w, b = members.shape(f"W{l}"), members.shape(f"b{l}")
    if len(w) != 2:
        raise _ContentError(f"layer {l} weights must be a matrix, not of shape {w}")
    if w[0] != fan_in:
        before = f"there are {fan_in} inputs" if l == 1 else f"layer {l - 1} has {fan_in} units"
        raise _ContentError(f"layer {l} weights have shape {w} but {before}")
    if w[1] != fan_out:
        raise _ContentError(f"layer {l} weights have shape {w} but meta gives it {fan_out} units")
    if b != (fan_out,):
        raise _ContentError(f"layer {l} biases have shape {b}, expected ({fan_out},)")
    for key in (f"W{l}", f"b{l}"):
        dtype = members.headers[key][1]
        if dtype.kind != "f" or dtype.itemsize not in (4, 8):
            raise _ContentError(f"'{key}' must be float32 or float64, not {dtype}")


def _network(members: _Members, n_inputs: int, layers: list[LayerSpec], dtype: np.dtype) -> Network:
    """Read the weights (known to have the right shapes) into a Network."""
    params = []
    for l in range(1, len(layers) + 1):
        w, b = members.floats(f"W{l}", "weights"), members.floats(f"b{l}", "biases")
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            raise _ContentError(f"layer {l} weights contain NaN or infinity")
        params.append(np.vstack([w, b[None, :]]))
    return Network(n_inputs, layers, params, dtype.newbyteorder("=").type)


def _scaler(members: _Members, side: str) -> Scaler:
    """The x or y scaler: finite means, finite standard deviations > 0."""
    mean = members.floats(f"{side}_mean", "a scaler")
    std = members.floats(f"{side}_std", "a scaler")
    if not (np.isfinite(mean).all() and np.isfinite(std).all()):
        raise _ContentError(f"'{side}_mean' or '{side}_std' contains NaN or infinity")
    if not (std > 0).all():
        raise _ContentError(f"'{side}_std' has a standard deviation <= 0")
    return Scaler(mean=mean, std=std)


def _input_columns(meta: dict[str, Any], inputs: tuple[str, ...]) -> tuple[InputColumn, ...]:
    """How each data column enters the network; their network inputs must be ``inputs``."""
    raw = meta.get("input_columns", [])
    if not isinstance(raw, list) or len(raw) > MAX_UNITS:
        raise _ContentError("meta 'input_columns' must be a list")
    columns = []
    for i, c in enumerate(raw, 1):
        ok = isinstance(c, dict) and isinstance(c.get("name"), str) and c.get("kind") in (
            "numeric", "categorical",
        ) and isinstance(c.get("categories", []), list) and all(
            isinstance(v, str) for v in c.get("categories", [])
        )  # fmt: skip
        if not ok:
            raise _ContentError(
                f"input column {i} must be {{'name': text, 'kind': 'numeric' or "
                "'categorical', 'categories': [text, …]}"
            )
        columns.append(InputColumn(c["name"], c["kind"], tuple(c.get("categories", []))))
    encoded = tuple(n for col in columns for n in col.encoded_names)
    if columns and encoded != inputs:
        raise _ContentError("the input columns do not give the network's inputs")
    return tuple(columns)


def _settings(
    meta: dict[str, Any], n_inputs: int, n_outputs: int
) -> tuple[DataSpec | CsvSpec | PlaygroundSpec | None, TrainConfig | None]:
    """The data and training settings (each may be null), checked by their own classes."""
    data, training = meta.get("data"), meta.get("training")
    for key, value in (("data", data), ("training", training)):
        if value is not None and not isinstance(value, dict):
            raise _ContentError(f"meta '{key}' must be a JSON object or null")
    try:
        config = None if training is None else TrainConfig.from_dict(training)
        if data is not None and data.get("source") == "csv":
            csv_spec = CsvSpec.from_dict(data)
            if len(csv_spec.targets) != n_outputs:
                raise _ContentError(
                    f"the data settings give {len(csv_spec.targets)} outputs but the network "
                    f"has {n_outputs}"
                )
            return csv_spec, config
        if data is not None and data.get("source") == "playground":
            played = PlaygroundSpec.from_dict(data)
            if len(played.features) != n_inputs or n_outputs != 1:
                raise _ContentError(
                    f"the data settings give {len(played.features)} inputs and 1 output but "
                    f"the network has {n_inputs} and {n_outputs}"
                )
            return played, config
        if data is not None and "source" not in data:
            raise DataSpecError("data settings are incomplete or malformed (no 'source')")
        if data is not None and data.get("source") != "formulas":
            raise _ContentError(f"unknown data source {data.get('source')!r}")
        spec = None if data is None else DataSpec.from_dict(data)
    except (DataSpecError, TrainConfigError, CsvError) as exc:
        raise _ContentError(f"invalid settings: {exc}") from None
    if spec is not None and (len(spec.ranges), len(spec.targets)) != (n_inputs, n_outputs):
        raise _ContentError(
            f"the data settings give {len(spec.ranges)} inputs and {len(spec.targets)} outputs "
            f"but the network has {n_inputs} and {n_outputs}"
        )
    return spec, config


def _check_history(members: _Members, epochs: Any) -> None:
    """The optional history arrays, from their headers: 1-D, bounded, consistent lengths."""
    shapes = {k: members.headers[f"history_{k}"][0] for k in HISTORY_KEYS
              if f"history_{k}" in members.headers}  # fmt: skip
    for k, shape in shapes.items():
        if len(shape) != 1:
            raise _ContentError(f"'history_{k}' must be 1-D, not of shape {shape}")
    if sum(shape[0] for shape in shapes.values()) > MAX_HISTORY_POINTS:
        raise _ContentError(f"the history holds more than {MAX_HISTORY_POINTS:,} points")
    n_evals = shapes.get("eval_epochs", (0,))[0]
    for k in _EVAL_KEYS:
        if shapes.get(k, (n_evals,))[0] != n_evals:
            raise _ContentError(f"'history_{k}' and 'history_eval_epochs' differ in length")
    if epochs is None:
        return
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise _ContentError(f"meta 'epochs' must be a whole number >= 0, got {epochs!r}")
    if "train_loss" in shapes and shapes["train_loss"][0] != epochs:
        raise _ContentError(
            f"meta says {epochs} epochs but the history has {shapes['train_loss'][0]}"
        )


def _history(members: _Members) -> History:
    """The history (checked by _check_history); a missing val/test loss or accuracy reads as
    NaN (files saved before the accuracies have none)."""
    arrays = {k: members.floats(f"history_{k}", "a history") for k in HISTORY_KEYS
              if f"history_{k}" in members.headers}  # fmt: skip
    arrays.setdefault("train_loss", np.zeros(0))
    evals = arrays.setdefault("eval_epochs", np.zeros(0))
    if not (np.isfinite(evals).all() and (evals >= 0).all() and (evals == np.round(evals)).all()):
        raise _ContentError("'history_eval_epochs' must hold whole numbers >= 0")
    for k in _EVAL_KEYS:
        arrays.setdefault(k, np.full(len(evals), np.nan))
    return History.from_arrays(arrays, copy=False)  # read once, held once


def _nan_for_null(value: Any) -> Any:
    """Metrics store NaN and infinities as null (strict JSON); read them back as NaN."""
    if isinstance(value, dict):
        return {k: _nan_for_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_for_null(v) for v in value]
    return math.nan if value is None else value


def _jsonable(value: Any) -> Any:
    """Plain JSON values: NumPy scalars and arrays unwrapped, NaN and infinities as null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ----- loading ----------------------------------------------------------------------------
def _not_a_model(start: bytes) -> str:
    """Why a file that is no .npz archive is no model, saying what to do with a data table."""
    text = b"\0" not in start and any(d in start for d in (b",", b";", b"\t", b"|"))
    if text and b"\n" in start:
        return (
            "not an nngui model file: it looks like a data table; nngui data FILE describes "
            "it and nngui train --csv FILE --targets COLS trains on it"
        )
    return "not an nngui model file (not a .npz archive)"


def load_model(path: str | os.PathLike[str]) -> Model:
    """Read and check a model file; raises ModelFileError (naming the file) if anything is off."""
    name = os.fspath(path)
    try:
        with _open_regular(name) as f:
            start = f.read(4)
            if start not in _ZIP_MAGICS:
                raise _ContentError(_not_a_model(start + f.read(4092)))
            f.seek(0)
            with np.load(f, allow_pickle=False) as npz:
                headers, sizes = _read_headers(npz.zip)

                def read(key: str) -> np.ndarray:
                    shape, dtype = headers[key]
                    declared = math.prod(shape) * dtype.itemsize
                    if declared > sizes[key]:
                        raise _ContentError(
                            f"'{key}' declares {declared:,} bytes of data but holds {sizes[key]:,}"
                        )
                    array: np.ndarray = npz[key]
                    return array

                return _parse(_Members(headers, read))
    except _ContentError as exc:
        raise ModelFileError(_one_line(f"{name}: {exc}")) from None
    except OSError as exc:
        raise ModelFileError(_one_line(f"{name}: {_os_reason(exc)}")) from None
    except _READ_ERRORS as exc:
        reason = f"damaged or not a model file ({type(exc).__name__}: {exc})"
        raise ModelFileError(_one_line(f"{name}: {reason}")) from None


def _open_regular(name: str) -> io.BufferedReader:
    """Open ``name`` for reading if it is a regular file, never blocking on a FIFO or device."""
    mode = os.stat(name).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(name)
    if not stat.S_ISREG(mode):
        raise _ContentError("not a regular file (a pipe, device or socket cannot be a model)")
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise _ContentError("not a regular file (a pipe, device or socket cannot be a model)")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_headers(
    archive: zipfile.ZipFile,
) -> tuple[dict[str, tuple[tuple[int, ...], np.dtype]], dict[str, int]]:
    """Shape and dtype of every member from its .npy header (no data is read), and the bytes
    of data each member really holds after its header."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _ContentError(f"the archive has more than {MAX_MEMBERS} members")
    headers, sizes = {}, {}
    for info in infos:
        if not info.filename.endswith(".npy"):
            raise _ContentError(f"unexpected member {info.filename!r} (not a NumPy array)")
        if info.flag_bits & 0x1:
            raise _ContentError(
                f"{info.filename!r} is encrypted; encrypted members are not supported"
            )
        with archive.open(info) as member:
            shape, dtype, header_bytes = _read_npy_header(member, info.filename)
        if dtype.hasobject or dtype.fields is not None:
            raise _ContentError(
                f"{info.filename!r} holds Python objects or records; refusing to read it"
            )
        key = info.filename[: -len(".npy")]
        headers[key] = (shape, dtype)
        sizes[key] = info.file_size - header_bytes
    return headers, sizes


def _read_npy_header(member: IO[bytes], filename: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """Shape, dtype and total header length of a .npy member, read with a bounded length."""
    magic = member.read(8)
    if len(magic) < 8 or magic[:6] != b"\x93NUMPY":
        raise _ContentError(f"{filename!r} is not a NumPy .npy array")
    version = (magic[6], magic[7])
    if version not in ((1, 0), (2, 0)):
        raise _ContentError(f"{filename!r} uses unsupported .npy version {version}")
    width = 2 if version == (1, 0) else 4
    length_field = member.read(width)
    if len(length_field) < width:
        raise _ContentError(f"{filename!r} has a truncated .npy header")
    length = int.from_bytes(length_field, "little")
    if length > MAX_NPY_HEADER:
        raise _ContentError(
            f"{filename!r} declares a {length:,}-byte .npy header (at most {MAX_NPY_HEADER:,})"
        )
    header = member.read(length)
    if len(header) < length:
        raise _ContentError(f"{filename!r} has a truncated .npy header")
    read = getattr(np.lib.format, f"read_array_header_{version[0]}_0")
    try:
        shape, _, dtype = read(io.BytesIO(length_field + header), max_header_size=MAX_NPY_HEADER)
    except (ValueError, TypeError, SyntaxError, tokenize.TokenError, RecursionError,
            MemoryError, OverflowError) as exc:  # fmt: skip
        reason = _one_line(str(exc))[:120]
        raise _ContentError(f"{filename!r} has a damaged .npy header ({reason})") from None
    return tuple(shape), dtype, 8 + width + length


def _os_reason(exc: OSError) -> str:
    """A short reason for an operating-system error."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a model file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def _one_line(message: str) -> str:
    return " ".join(message.split())


# ----- saving -----------------------------------------------------------------------------
def save_model(model: Model, path: str | os.PathLike[str]) -> None:
    """Write ``model`` to ``path`` (exactly that name) atomically; raises ModelFileError.

    Refuses models that ``load_model`` would reject (non-finite weights, std <= 0, names that
    do not match the network …). On any failure the previous file at ``path`` is untouched.
    """
    name = os.fspath(path)
    try:
        arrays = _model_arrays(model)
        _parse(_Members({k: (a.shape, a.dtype) for k, a in arrays.items()}, arrays.__getitem__))
    except (_ContentError, TypeError, ValueError) as exc:
        raise ModelFileError(_one_line(f"{name}: refusing to save: {exc}")) from None
    try:
        _write_atomically(name, arrays)
    except Exception as exc:
        reason = _os_reason(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        raise ModelFileError(_one_line(f"{name}: could not save: {reason}")) from None


def _model_arrays(model: Model) -> dict[str, np.ndarray]:
    """The named arrays of a model file, ``meta`` included (raises _ContentError if non-finite)."""
    net = model.network
    if not net.is_finite():
        raise _ContentError("weights contain NaN or infinity")
    arrays: dict[str, np.ndarray] = {}
    for l, (w, b) in enumerate(zip(net.weights, net.biases, strict=True), 1):
        arrays[f"W{l}"], arrays[f"b{l}"] = np.array(w), np.array(b)
    for side, scaler in (("x", model.x_scaler), ("y", model.y_scaler)):
        arrays[f"{side}_mean"] = np.array(scaler.mean).reshape(-1)
        arrays[f"{side}_std"] = np.array(scaler.std).reshape(-1)
    for key, values in model.history.arrays().items():
        arrays[f"history_{key}"] = values
    arrays["meta"] = np.array(json.dumps(_jsonable(_meta(model)), allow_nan=False))
    return arrays


def _meta(model: Model) -> dict[str, Any]:
    """The meta JSON object of a model (see docs/model-format.md)."""
    net = model.network
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "layers": [layer.to_dict() for layer in net.layers],
        "inputs": list(model.input_names),
        "outputs": list(model.output_names),
        "data": _data_meta(model),
        "input_columns": [c.to_dict() for c in model.input_columns],
        "task": model.task,
        "classes": list(model.classes),
        "training": None if model.train_config is None else model.train_config.to_dict(),
        "metrics": model.metrics,
        "outcome": model.outcome,
        "weights_epoch": model.weights_epoch,
        "dtype": net.dtype.name,
        "epochs": model.history.epochs,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "nngui_version": nngui.__version__,
    }


def _data_meta(model: Model) -> dict[str, Any] | None:
    """The data settings with their source: {"source": "formulas", …} or {"source": "csv", …}."""
    spec = model.data_spec
    if spec is None:
        return None
    if isinstance(spec, CsvSpec | PlaygroundSpec):
        return spec.to_dict()
    return {"source": "formulas", **spec.to_dict()}


def _write_atomically(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Write the arrays as an .npz archive to ``path`` atomically."""
    # A file object, not a name: np.savez would append ".npz" to a name without it.
    write_atomically(path, lambda f: np.savez(f, **arrays))  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
