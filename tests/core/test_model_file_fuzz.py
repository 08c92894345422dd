"""Fuzzing load_model: mutated model files give a Model or one one-line ModelFileError, never else.

A seeded generator mutates a small valid saved model (byte flips, truncations, members rewritten
with forged .npy headers or wrong arrays, meta JSON with huge ints, NaN, surrogates, wrong
types). The default runs a few hundred cases; NNGUI_FUZZ_CASES=20000 runs more by hand.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from nngui.core.model import Model
from nngui.core.model_file import ModelFileError, load_model, save_model
from nngui.core.network import LayerSpec, Network
from nngui.core.scaling import Scaler

CASES = int(os.environ.get("NNGUI_FUZZ_CASES", "300"))
SEED = 20261202


def small_model_bytes(tmp_path: Path) -> bytes:
    """The bytes of a small valid saved model."""
    net = Network.initialise(
        2, [LayerSpec(3, "tanh"), LayerSpec(1, "linear")], np.random.RandomState(0)
    )
    model = Model(net, Scaler(np.zeros(2), np.ones(2)), Scaler(np.zeros(1), np.ones(1)),
                  ("a", "b"), ("y",))  # fmt: skip
    save_model(model, tmp_path / "valid.npz")
    return (tmp_path / "valid.npz").read_bytes()


def members(data: bytes) -> dict[str, bytes]:
    """The raw members of an archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def archive(parts: dict[str, bytes], rng: random.Random) -> bytes:
    """Members written back as a zip, stored or deflated at random."""
    buf = io.BytesIO()
    method = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, raw in parts.items():
            zf.writestr(name, raw)
    return buf.getvalue()


def npy(value: Any) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(value), allow_pickle=False)
    return buf.getvalue()


def forged_header(rng: random.Random) -> bytes:
    """A .npy header that lies: odd shapes, dtypes, length fields or text."""
    shape = rng.choice(["(10**12,)", "(-1,)", "(3, 3)", "()", "(2**63,)", "(1,", "'x'", "(0,)"])
    descr = rng.choice(["'<f8'", "'<f4'", "'|O'", "'<i8'", "'<U9999999'", "[('a', '<f8')]", "'zz'"])
    text = f"{{'descr': {descr}, 'fortran_order': {rng.choice(['False', 'True', '1'])}, "
    text += f"'shape': {shape}, }}"
    body = text.encode()[: rng.choice([len(text), rng.randrange(len(text) + 1)])]
    version = rng.choice([1, 2, 3])
    length = rng.choice([len(body), rng.randrange(0, len(body) + 5), 2**16 + 1, 2**31])
    width = 2 if version == 1 else 4
    length %= 2 ** (8 * width)
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
    return b"\x93NUMPY" + bytes([version, 0]) + length.to_bytes(width, "little") + body + data


META_VALUES = [10**400, -(10**400), float("nan"), float("inf"), 1e308, "\ud800", "a\x00b", None,
               [], {}, True, "x" * 50, -1, 2**63, [[[]]], {"\udfff": 1}]  # fmt: skip


def mutate_meta(meta: Any, rng: random.Random) -> Any:
    """Replace a random value somewhere in meta with a hostile one."""
    if isinstance(meta, dict) and meta and rng.random() < 0.7:
        key = rng.choice(list(meta))
        meta[key] = mutate_meta(meta[key], rng)
        return meta
    if isinstance(meta, list) and meta and rng.random() < 0.7:
        i = rng.randrange(len(meta))
        meta[i] = mutate_meta(meta[i], rng)
        return meta
    return copy.deepcopy(rng.choice(META_VALUES))


def mutate(valid: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutated file and the kind of mutation."""
    kind = rng.choice(["flip", "truncate", "forge", "array", "meta", "drop"])
    data = bytearray(valid)
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return kind, bytes(data)
    if kind == "truncate":
        return kind, bytes(data[: rng.randrange(len(data))])
    parts = members(valid)
    name = rng.choice(list(parts))
    if kind == "forge":
        parts[name] = forged_header(rng)
    elif kind == "array":
        parts[name] = npy(rng.choice([np.zeros((2, 2), "<f4"), np.arange(3), np.array(["x"]),
                                      np.full(3, np.nan), np.zeros(0), np.ones((1, 1, 1), ">f8"),
                                      np.array(1.5), np.zeros(2, np.float16)]))  # fmt: skip
    elif kind == "meta":
        meta = json.loads(str(np.load(io.BytesIO(parts["meta.npy"]), allow_pickle=False)))
        for _ in range(rng.randint(1, 3)):
            meta = mutate_meta(meta, rng)
        parts["meta.npy"] = npy(json.dumps(meta))
    else:
        del parts[name]
    return kind, archive(parts, rng)


def test_mutated_files_load_or_fail_with_one_line(tmp_path: Path) -> None:
    valid = small_model_bytes(tmp_path)
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    path = tmp_path / "fuzz.npz"
    for case in range(CASES):
        kind, data = mutate(valid, rng)
        path.write_bytes(data)
        try:
            result = load_model(path)
        except ModelFileError as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith(str(path)), (case, kind, message)
            outcomes[f"{kind}: refused"] += 1
        except Exception as exc:
            raise AssertionError(
                f"case {case} ({kind}) raised {type(exc).__name__}: {exc}"
            ) from exc
        else:
            assert isinstance(result, Model)
            outcomes[f"{kind}: loaded"] += 1
    assert sum(outcomes.values()) == CASES
    print(f"{CASES} cases: {dict(sorted(outcomes.items()))}")
