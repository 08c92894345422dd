"""Fuzzing the ``nngui`` command line: odd arguments give a result or one line, never else.

A seeded generator builds argument lists for every subcommand (and the window's entry): unknown
options, missing values, wrong types, huge, negative, NaN and infinite numbers, empty and very
long strings, control characters, lone surrogates as Linux hands undecodable bytes to Python,
and paths that do not exist, are folders, are empty, hold garbage or have 256-byte names. Each
case runs ``cli.main`` in-process with small sizes, with stdout and stderr encoded as a real
process's are (UTF-8; strict on stdout, backslashreplace on stderr). Acceptable outcomes:

- exit 0, no traceback, every stderr line a "nngui: " note, and JSON on stdout for --json;
- exit 1 from check-gradients when the check failed (its documented result);
- exit 2 with nothing on stdout and exactly one line "nngui: …" on stderr (argparse's errors
  too: ``cli_args.Parser.error`` prints them as that one line).

The default runs a few hundred cases; ``NNGUI_FUZZ_CASES=5000`` runs more by hand (``-s``
prints the outcomes).
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import sys
import time
import traceback
import types
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from nngui import cli

CASES = int(os.environ.get("NNGUI_FUZZ_CASES", "1000"))
SEED = 20261203
#: A case taking longer than this is a failure too: the sizes here are all small.
SLOW_SECONDS = 10.0

# ----- values --------------------------------------------------------------------------------
HOSTILE = ["", " ", "-", "--", "-1", "0", "nan", "NaN", "inf", "-inf", "1e400", "-1e400",
           "1e308", "-1e308", "9" * 30, "9" * 5000, "x" * 10_000, "²", "٣", "0x10", "1_000",
           "1,2", "1,,2", ",", "\x00", "a\nb", "\r", "\t", "\x1b[31m", "\x7f", "\udc80",
           "\udcff.npz", "é" * 200, "None", "none", "true", "[]", "{}", "%s%n", "--json",
           "-h", "--help", "=", "1=2", "'", '"', "\\", "*", "~", "$HOME"]  # fmt: skip

INTS = ["0", "1", "2", "3", "7", "10", "100000001", "4294967296", "99999999999999999999"]
FLOATS = ["0", "0.5", "0.1", "1", "-0", "1e-300", "5e-324", "0.0001", "10", "1e30", "1e31"]
RATIOS = ["0.05", "0.1", "0.3", "0.5", "0.7", "0.95", "0.96", "1", "0"]
POINTS = ["1,2", "30,70", "-3,4", "0,0", "1e300,1e300", "-1e308,1e308", "1", "1,2,3",
          "nan,1", "inf,2", "1,", ",", "a,b", " 1 , 2 ", "1e-320,0"]  # fmt: skip
HIDDEN = ["4", "3,3", "2:tanh", "none", "8:tanh,4:relu", "0", "4097", "4:foo", "4:", ":4",
          ",".join(["1"] * 64), ",".join(["1"] * 63), "1" * 30]  # fmt: skip
TARGETS = ["a+b", "a*b,max", "sum,diff", "min(a,b)", "a/b", "max(a,b),|a-b|", "", ",",
           "(((", "a+b,a+b"]  # fmt: skip
ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear", "leaky_relu", "swish", "RELU"]

#: Per option: the values that fit it (small sizes), drawn as often as hostile ones.
TRAIN_OPTIONS = {
    "--samples": ["10", "40", "100", "9", "10000001"],
    "--low": ["0", "-10", "-10,-5", "1e30", "5", "1,2,3", "-1e31"],
    "--high": ["1", "100", "10,5", "1e30", "-5", "1,2,3"],
    "--targets": TARGETS,
    "--noise": FLOATS,
    "--train-ratio": RATIOS,
    "--val-ratio": ["0", "0.1", "0.5", "0.51", "0.9"],
    "--seed": [*INTS[:6], "4294967295"],
    "--hidden": HIDDEN,
    "--activation": ACTIVATIONS,
    "--output-activation": ACTIVATIONS,
    "--init": ["he", "xavier", "glorot"],
    "--dtype": ["float32", "float64", "float16"],
    "--init-from": ["{model}", "{garbage}", "{missing}", "{folder}", "{long}", "{empty}"],
    "--optimizer": ["gd", "sgd", "momentum", "adam", "rmsprop"],
    "--lr": [*FLOATS, "11", "0.01"],
    "--batch-size": INTS,
    "--momentum": [*FLOATS, "0.9", "0.999999"],
    "--l2": FLOATS,
    "--epochs": ["0", "1", "3", "100000001"],
    "--patience": INTS,
    "--time-limit": FLOATS,
    "--out": [
        "{out_npz}",
        "{out_csv}",
        "{out_long}",
        "{out_255}",
        "{folder}",
        "{no_dir}",
        "{out_dir}",
        "{missing}",
        "{fifo}",
        "{loop}",
    ],
    "--json": None,
    "--quiet": None,
}
EXPORT_OUTPUTS = ["-", "{out_csv}", "{out_npz}", "{out_long}", "{out_255}", "{folder}",
                  "{no_dir}", "{model}", "{fifo}", "{loop}"]  # fmt: skip
COMMANDS = {
    "train": ([], TRAIN_OPTIONS),
    "predict": (["{model_path}", "{points}"], {"--json": None}),
    "evaluate": (["{model_path}"], {"--json": None}),
    "info": (["{model_path}"], {"--json": None}),
    "inside": (["{model_path}", "{point}"], {"--json": None}),
    "check-gradients": (
        ["{model_path}"],
        {"--samples": INTS[:6], "--params": INTS[:6], "--json": None},
    ),
    "export": (
        ["{model_path}"],
        {
            "--history": EXPORT_OUTPUTS,
            "--fit": EXPORT_OUTPUTS,
            "--error-map": EXPORT_OUTPUTS,
            "--resolution": ["2", "3", "17", "1", "1001", "100000"],
            "--extend": ["0", "0.5", "2", "2.01", "1e308"],
        },
    ),
}
MODEL_PATHS = ["{model}", "{model}", "{model}", "{garbage}", "{empty}", "{missing}", "{folder}",
               "{long}", "{plain}", "{model_255}", "{model_odd}", "{dir_npz}",
               "{no_dir}", "{fifo}", "{loop}"]  # fmt: skip


# ----- files -----------------------------------------------------------------------------------
def make_files(root: Path) -> dict[str, str]:
    """Every kind of path the fuzzer names: models, garbage, folders, long names."""
    model = root / "model.npz"
    argv = ["train", "--samples", "40", "--hidden", "3", "--epochs", "3", "--quiet",
            "--val-ratio", "0.1", "--out", str(model)]  # fmt: skip
    assert cli.main(argv) == 0
    (root / "garbage.npz").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 3)
    (root / "empty.npz").write_bytes(b"")
    np.savez(root / "plain.npz", x=np.arange(3))
    (root / "folder").mkdir()
    (root / "dir.npz").mkdir()
    (root / "out").mkdir()
    fifo, loop = root / "fifo.npz", root / "loop.npz"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    loop.symlink_to(loop)
    model_255 = root / ("m" * 251 + ".npz")
    shutil.copy(model, model_255)
    files = {
        "model": str(model),
        "garbage": str(root / "garbage.npz"),
        "empty": str(root / "empty.npz"),
        "plain": str(root / "plain.npz"),
        "missing": str(root / "missing.npz"),
        "folder": str(root / "folder"),
        "dir_npz": str(root / "dir.npz"),
        "long": str(root / ("n" * 252 + ".npz")),
        "model_255": str(model_255),
        "model_odd": str(model),
        "no_dir": str(root / "no" / "such" / "m.npz"),
        "out_dir": str(root / "out"),
        "fifo": str(fifo),
        "loop": str(loop),
        "out_npz": str(root / "out" / "o.npz"),
        "out_csv": str(root / "out" / "o.csv"),
        "out_long": str(root / "out" / ("o" * 252 + ".npz")),
        "out_255": str(root / "out" / ("o" * 251 + ".csv")),
    }
    if sys.platform.startswith("linux"):  # a name that is not UTF-8: Python sees surrogates
        odd = os.fsdecode(os.fsencode(str(root)) + b"/\xff\x80 model.npz")
        shutil.copy(model, odd)
        files["model_odd"] = odd
    return files


#: The files cases read, put back after each case.
INPUT_FILES = ("model", "model_255", "model_odd", "garbage", "empty", "plain")


# ----- cases -----------------------------------------------------------------------------------
def value(
    rng: random.Random, choices: list[str] | None, files: dict[str, str], hostility: float
) -> str:
    """A value for an option: a hostile one with probability ``hostility``, else one that
    fits it (which may still be out of range)."""
    if choices and rng.random() >= hostility:
        return rng.choice(choices).format(**files)
    text = rng.choice(HOSTILE)
    if rng.random() < 0.1:
        text = rng.choice(HOSTILE) + rng.choice(["", " ", ","]) + text
    return text


def positional(rng: random.Random, slot: str, files: dict[str, str], hostility: float) -> list[str]:
    """Values for a positional slot of a command."""
    if rng.random() < 0.3 * hostility:
        return [rng.choice(HOSTILE)]
    if slot == "{model_path}":
        if rng.random() >= hostility:
            return [rng.choice(["{model}", "{model_255}", "{model_odd}"]).format(**files)]
        return [rng.choice(MODEL_PATHS).format(**files)]
    if slot == "{points}":
        return [rng.choice(POINTS) for _ in range(rng.randint(1, 3))]
    return [rng.choice(POINTS)]


def make_case(rng: random.Random, files: dict[str, str]) -> tuple[str, list[str]]:
    """(kind, argv): a command with its positionals and options, then a few mutations.

    Half the cases are hostile throughout; the others mostly use values that fit, so that
    they get past the argument checks into the commands' work.
    """
    kind = rng.choice([*COMMANDS, "train", "train", "export", "window", "none"])
    hostility = rng.choice([0.5, 0.05])
    if kind == "window":
        return kind, positional(rng, "{model_path}", files, hostility)[: rng.randint(0, 1)] + (
            [rng.choice(HOSTILE)] if rng.random() < 0.2 else []
        )
    if kind == "none":
        return kind, [rng.choice(HOSTILE) for _ in range(rng.randint(1, 3))]
    slots, options = COMMANDS[kind]
    argv = [kind]
    for slot in slots:
        argv += positional(rng, slot, files, hostility)
    for option in rng.sample(list(options), rng.randint(0, min(5, len(options)))):
        argv.append(option)
        if options[option] is not None:
            argv.append(value(rng, options[option], files, hostility))
    if kind == "export" and rng.random() < 0.8:  # mostly say what to export
        argv += [
            rng.choice(["--history", "--fit", "--error-map"]),
            rng.choice(["-", files["out_csv"]]),
        ]
    for _ in range(rng.choice([0, 0, 0, 1, 2]) if hostility > 0.1 else 0):
        mutation = rng.choice(["unknown", "drop", "insert", "duplicate", "swap"])
        if mutation == "unknown":
            argv.insert(
                rng.randint(1, len(argv)),
                rng.choice(["--bogus", "-x", "--out=", "--lr=", "--samples=5", "-", "--"]),
            )
        elif mutation == "drop" and len(argv) > 1:
            del argv[rng.randrange(1, len(argv))]
        elif mutation == "insert":
            argv.insert(rng.randint(1, len(argv)), rng.choice(HOSTILE))
        elif mutation == "duplicate" and len(argv) > 1:
            argv.append(rng.choice(argv[1:]))
        elif mutation == "swap" and len(argv) > 2:
            i, j = rng.sample(range(1, len(argv)), 2)
            argv[i], argv[j] = argv[j], argv[i]
    if kind == "train":  # small sizes unless the case chose its own
        for option, default in (("--epochs", "3"), ("--samples", "40"), ("--hidden", "3")):
            if option not in argv:
                argv += [option, default]
    return kind, argv


# ----- running ---------------------------------------------------------------------------------
def run_case(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[object, str, str]:
    """Run ``cli.main(argv)`` with a real process's stdout and stderr; (status, out, err).

    The status is the exception when ``main`` raised one instead of returning.
    """
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace",
                              write_through=True)  # fmt: skip
    with monkeypatch.context() as m:
        m.setattr(sys, "stdout", stdout)
        m.setattr(sys, "stderr", stderr)
        try:
            status: object = cli.main(list(argv))
        except BaseException as exc:
            status = exc
            if os.environ.get("NNGUI_FUZZ_TRACE"):
                traceback.print_exc(file=sys.__stderr__)
        stdout.flush()
        stderr.flush()
    return status, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode("utf-8")


def problem(kind: str, argv: list[str], status: object, out: str, err: str) -> str | None:
    """What is wrong with an outcome, or None when it is one of the acceptable ones."""
    if not isinstance(status, int):
        return f"raised {type(status).__name__}: {status}"
    if "Traceback" in err:
        return "a traceback on stderr"
    if status == 2:
        if out:
            return "exit 2 with output on stdout"
        if err.count("\n") != 1 or not err.endswith("\n") or not err.startswith("nngui: "):
            return f"exit 2 without exactly one line 'nngui: …' on stderr: {err[:300]!r}"
        return None
    if status == 1 and kind == "check-gradients" and ("FAILED" in out or '"passed": false' in out):
        return None
    if status != 0:
        return f"exit status {status}"
    if any(line and not line.startswith("nngui: ") for line in err.splitlines()):
        return f"exit 0 with stray stderr: {err[:300]!r}"
    helped = "--help" in argv or "-h" in argv or "--version" in argv
    if "--json" in argv and not helped and kind not in ("window", "none"):
        try:
            json.loads(out)
        except ValueError:
            return f"--json without JSON on stdout: {out[:200]!r}"
    quiet = (
        kind == "window"
        or (kind == "train" and "--quiet" in argv and "--json" not in argv)
        or (kind == "export" and "-" not in map(last_value(argv), EXPORT_OPTIONS))
    )
    if not out.strip() and not quiet and not helped:
        return "exit 0 with nothing on stdout"
    return None


EXPORT_OPTIONS = ("--history", "--fit", "--error-map")


def last_value(argv: list[str]) -> Callable[[str], str | None]:
    """A function giving the value an option has in ``argv`` (argparse keeps the last one)."""

    def of(option: str) -> str | None:
        found = None
        for i, word in enumerate(argv[:-1]):
            if word == option:
                found = argv[i + 1]
        return found

    return of


def outcome_name(kind: str, status: object) -> str:
    """How a case ended, for the summary."""
    return {0: "ok", 1: "check failed", 2: "refused"}.get(status, "other")  # type: ignore[call-overload]


@pytest.fixture
def fake_window(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """nngui.gui.app replaced: opening the window records the model path and returns 0."""
    calls: list[object] = []
    module = types.ModuleType("nngui.gui.app")
    module.run_app = lambda model_path=None, data_path=None: (
        calls.append(model_path or data_path) or 0
    )  # type: ignore[attr-defined]
    module.display_problem = lambda environ, find_library, **probes: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nngui.gui.app", module)
    return calls


def test_odd_command_lines_give_a_result_or_one_line(tmp_path, monkeypatch, fake_window):
    files = make_files(tmp_path)
    # Cases may legitimately write over the inputs (export --fit model.npz, reading a copy of
    # it): each case starts from the same files.
    inputs = {files[k]: Path(files[k]).read_bytes() for k in INPUT_FILES}
    monkeypatch.chdir(tmp_path / "out")  # relative names land in a scratch folder
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    slowest, started = (0.0, []), time.perf_counter()
    for case in range(CASES):
        kind, argv = make_case(rng, files)
        t0 = time.perf_counter()
        status, out, err = run_case(argv, monkeypatch)
        seconds = time.perf_counter() - t0
        slowest = max(slowest, (seconds, argv), key=lambda s: s[0])
        wrong = problem(kind, argv, status, out, err)
        if wrong is None and seconds > SLOW_SECONDS:
            wrong = f"took {seconds:.1f} s"
        if wrong is not None:
            shown = ascii(argv).replace(ascii(str(tmp_path))[1:-1], "<tmp>")
            failures.append(f"case {case} {kind} {shown}: {wrong}")
        outcomes[f"{kind}: {outcome_name(kind, status)}"] += 1
        for path, data in inputs.items():
            if not os.path.isfile(path) or Path(path).read_bytes() != data:
                Path(path).write_bytes(data)
        for name in os.listdir(tmp_path / "out"):  # no half-written or temporary file left
            assert not name.startswith(".nngui-"), (case, argv, name)
    total = time.perf_counter() - started
    print(f"\n{CASES} cases in {total:.1f} s (slowest {slowest[0]:.2f} s: {slowest[1]!a})")
    for name, n in sorted(outcomes.items()):
        print(f"  {name}: {n}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])
