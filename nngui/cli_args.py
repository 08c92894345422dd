"""Command-line arguments of ``nngui``: the parsers and the small parsers of option values.

Every mistake in an argument ends as one line on stderr and exit status 2: value parsers raise
``UsageError`` (or argparse's ``ArgumentTypeError``) with a message that says what to write
instead, and ``Parser.error`` prints that message as ``nngui: … (see nngui CMD --help)``.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from nngui import __version__
from nngui.core.activations import ACTIVATIONS
from nngui.core.data import INPUT_NAMES, TARGETS, DataSpec
from nngui.core.error_map import DEFAULT_RESOLUTION, MAX_EXTEND, MAX_RESOLUTION, MIN_RESOLUTION
from nngui.core.model import Model
from nngui.core.model_file import load_model
from nngui.core.network import INIT_SCHEMES, MAX_LAYERS
from nngui.core.optimizers import OPTIMIZER_NAMES
from nngui.core.playground import PLAYGROUND_SETS
from nngui.core.playground_source import FEATURES
from nngui.core.training import DTYPES, TrainConfig

COMMANDS = (
    "train", "predict", "evaluate", "info", "inside", "check-gradients", "export", "data",
)  # fmt: skip

#: Short names for targets whose formulas need quoting in a shell.
TARGET_ALIASES = {
    "sum": "a+b",
    "diff": "a-b",
    "absdiff": "|a-b|",
    "product": "a*b",
    "max": "max(a,b)",
    "min": "min(a,b)",
}

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
#: A number or comma list of numbers that starts with "-", such as "-3,4" or "-1e3": argparse
#: would take it for an option, so ``protect_negative_numbers`` marks it as a value.
_NEGATIVE_LIST = re.compile(rf"^-(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\s*,\s*{_NUMBER})*$")


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut to its first ``limit`` characters when longer."""
    text = text.strip()
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def shown_path(path: str) -> str:
    """A path quoted for a message: whole up to 200 characters, else its start and end."""
    if len(path) <= 200:
        return repr(path)
    return f"{path[:40]!r}…{path[-20:]!r} ({len(path):,} characters)"


class UsageError(Exception):
    """A bad argument or file; the message is one line saying what to fix (exit status 2)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``nngui: <message> (see <prog> --help)``."""

    #: The command whose help the error points to, when it is not this parser's own.
    help_hint: str | None = None

    def error(self, message: str) -> NoReturn:
        """Print the one-line error and exit with status 2."""
        message = " ".join(message.removeprefix("argument ").split())
        sys.stderr.write(f"nngui: {message} (see {self.help_hint or self.prog} --help)\n")
        raise SystemExit(2)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the hand-made line breaks of descriptions and epilogs; wider help column."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def protect_negative_numbers(argv: list[str]) -> list[str]:
    """Let values such as ``-3,4`` (a point) or ``--low -10,-5`` through argparse.

    argparse treats any word starting with "-" that is not a plain number as an option. A word
    containing a space is always a value to argparse, so such number lists get a leading space;
    ``float`` ignores it when the value is parsed.
    """
    return [" " + a if _NEGATIVE_LIST.match(a) else a for a in argv]


# ----- paths ------------------------------------------------------------------------------
#: The longest name of one file or folder in a path (NAME_MAX of most file systems), in bytes.
NAME_MAX = 255
#: The longest whole path the system takes (PATH_MAX of Linux, with its terminating NUL).
PATH_MAX = 4096
_SEPARATORS = re.compile(rb"[\\/]" if os.name == "nt" else rb"/")


def path_problem(path: str) -> str | None:
    """What makes ``path`` unusable as a file name before any file is touched, or None.

    Catches what the system would refuse with a traceback-prone error: an empty name, a NUL
    character, characters the file system encoding cannot store (lone surrogates), a name
    longer than NAME_MAX bytes, a path longer than PATH_MAX bytes.
    """
    if not path.strip():
        return "an empty file name"
    if "\0" in path:
        return "a file name cannot contain a NUL character"
    try:
        encoded = os.fsencode(path)
    except UnicodeError:
        return "a file name with characters this system cannot store in one"
    longest = max(len(part) for part in _SEPARATORS.split(encoded))
    if longest > NAME_MAX:
        return f"file name too long: at most {NAME_MAX} bytes per name (this one has {longest:,})"
    if len(encoded) >= PATH_MAX:
        return f"path too long: at most {PATH_MAX - 1:,} bytes (this one has {len(encoded):,})"
    return None


def printable(path: str | os.PathLike) -> str:
    """``path`` as text that can be printed: bytes of a name that are not UTF-8 (which Python
    holds as lone surrogates) are shown as ``\\xff`` escapes instead of failing to print."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def os_problem(exc: OSError) -> str:
    """A short reason for an error of the file system, in the words of ``path_problem``."""
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long for this file system"
    return (exc.strerror or type(exc).__name__).lower()


def check_path(path: str, what: str = "") -> None:
    """Raise UsageError, naming ``what`` (an option) and the path, if ``path_problem`` finds one."""
    problem = path_problem(path)
    if problem is not None:
        raise UsageError(f"{what}{': ' if what else ''}{shown_path(path)}: {problem}")


def check_save_path(
    path: str, what: str, suffix: str | None = None, expand_user: bool = False
) -> Path:
    """Check before any work that a file can be saved at ``path`` (UsageError if not).

    The name must be usable (``path_problem``), end in ``suffix`` if one is given, not name a
    folder, device, pipe or socket (the atomic save would replace it by a regular file), and
    its folder must exist and be writable. With ``expand_user`` a leading ``~`` or ``~user``
    names a home folder (left as it is when there is no such user); the path to save at is
    returned.
    """
    check_path(path, what)
    p = Path(os.path.expanduser(path) if expand_user else path)
    if suffix is not None and p.suffix.lower() != suffix:
        raise UsageError(f"{what}: {shown_path(path)} must end in {suffix}")
    try:
        if p.is_dir():
            example = p / ("model.npz" if suffix == ".npz" else "table.csv")
            raise UsageError(f"{what}: {path} is a folder; give a file name such as {example}")
        if p.exists() and not p.is_file():  # saving would replace a device, pipe or socket
            raise UsageError(
                f"{what}: {path} is not a regular file (a device, pipe or socket); "
                "give a file name, or - for stdout where a table can go there"
            )
        folder = p.parent
        if not folder.is_dir():
            raise UsageError(f"{what}: the folder {folder} does not exist; create it first")
    except OSError as exc:
        raise UsageError(f"{what}: {shown_path(path)}: {os_problem(exc)}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{what}: cannot write in the folder {folder}")
    return p


def read_model(path: str) -> Model:
    """Load the model file named by an argument; a missing or bad file raises a one-line error
    (UsageError or ModelFileError)."""
    check_path(path)
    p = Path(path)
    try:
        if not p.exists():
            raise UsageError(f"{path}: no such file")
        if p.is_dir():
            raise UsageError(f"{path} is a folder, not a model file")
    except OSError as exc:
        raise UsageError(f"{shown_path(path)}: {os_problem(exc)}") from None
    return load_model(p)


# ----- value parsers ----------------------------------------------------------------------


def parse_number(text: str) -> float:
    """A finite float; raises ArgumentTypeError naming the bad text."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a finite number")
    return value


def parse_numbers(text: str, count: int, what: str) -> list[float]:
    """``count`` comma-separated finite numbers, e.g. "30,70"; one number is not repeated."""
    parts = text.split(",")
    if len(parts) != count:
        example = ",".join(["30", "70", "5", "1"][:count])
        raise UsageError(
            f"{what} {shown(text)} needs {count} comma-separated numbers, e.g. {example}"
        )
    try:
        return [parse_number(p) for p in parts]
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"{what} {shown(text)}: {exc}") from None


def parse_bound(text: str) -> list[float]:
    """``--low``/``--high``: one number for every input, or one per input ("0,-5")."""
    parts = text.split(",")
    if len(parts) == 1:
        return [parse_number(text)] * len(INPUT_NAMES)
    if len(parts) != len(INPUT_NAMES):
        raise argparse.ArgumentTypeError(
            f"{shown(text)}: give one number for all inputs or one per input "
            f"({', '.join(INPUT_NAMES)}), e.g. 0 or 0,-50"
        )
    return [parse_number(p) for p in parts]


def split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses: "a+b,max(a,b)" → ["a+b", "max(a,b)"]."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts]


def parse_targets(text: str) -> tuple[str, ...]:
    """``--targets``: names from TARGETS (or their aliases), comma-separated."""
    names = []
    for part in split_top_level(text):
        name = TARGET_ALIASES.get(part, part.replace(" ", ""))
        if name not in TARGETS:
            raise argparse.ArgumentTypeError(
                f"unknown target {shown(part)}; choose from {', '.join(TARGETS)} "
                f"(or {', '.join(TARGET_ALIASES)})"
            )
        names.append(name)
    return tuple(names)


def parse_hidden(text: str) -> list[tuple[int, str | None]]:
    """``--hidden``: "4,4" or "8:tanh,4:relu" or "none" → [(units, activation or None), …].

    Only "none" means no hidden layer: "0" and "" are mistakes, as "0,4" is.
    """
    if text.strip().lower() == "none":
        return []
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "empty; give layer sizes such as 4,4, or use 'none' for no hidden layer"
        )
    layers: list[tuple[int, str | None]] = []
    for part in text.split(","):
        units, _, act = part.strip().partition(":")
        if not units.isdigit() or (_ and not act):
            raise argparse.ArgumentTypeError(
                f"{shown(part)} is not a layer; write units or units:activation, e.g. 8:tanh,4"
            )
        if not 1 <= int(units) <= 4096:
            hint = "; use 'none' for no hidden layer" if int(units) == 0 else ""
            raise argparse.ArgumentTypeError(f"{shown(part)}: a layer needs 1 to 4096 units{hint}")
        if act and act not in ACTIVATIONS:
            raise argparse.ArgumentTypeError(
                f"{shown(part)}: unknown activation {shown(act)}; "
                f"choose from {', '.join(ACTIVATIONS)}"
            )
        layers.append((int(units), act or None))
    if len(layers) >= MAX_LAYERS:
        raise argparse.ArgumentTypeError(f"at most {MAX_LAYERS - 1} hidden layers")
    return layers


def positive_int(text: str) -> int:
    """A whole number >= 0, in ASCII digits."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number >= 0")
    if len(digits) > 20:  # int() refuses 4,300 digits and more; no option needs 20
        raise argparse.ArgumentTypeError(f"{shown(text)} is too large")
    return int(digits)


def count(text: str) -> int:
    """A whole number >= 1."""
    value = positive_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def whole_number_in(low: int, high: int) -> Callable[[str], int]:
    """A parser of whole numbers from ``low`` to ``high``, for an option's ``type``."""

    def parse(text: str) -> int:
        digits = text.strip()
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 20) or not (
            low <= int(digits) <= high
        ):
            raise argparse.ArgumentTypeError(
                f"{shown(text)} is not a whole number from {low:,} to {high:,}"
            )
        return int(digits)

    return parse


def number_in(low: float, high: float) -> Callable[[str], float]:
    """A parser of finite numbers from ``low`` to ``high``, for an option's ``type``."""

    def parse(text: str) -> float:
        value = parse_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{shown(text)} is not a number from {low:g} to {high:g}"
            )
        return value

    return parse


# ----- parsers ----------------------------------------------------------------------------
DATA, TRAIN = DataSpec(), TrainConfig()

MAIN_DESCRIPTION = """\
A workbench for small NumPy neural networks.

  nngui                  open the window
  nngui MODEL.npz        open the window with a saved model
  nngui DATA.csv         open the window and import a CSV file
  nngui train …          train a network without a window (nngui train --help)
  nngui predict …        outputs of a saved model for some inputs
  nngui evaluate …       metrics of a saved model on its regenerated data
  nngui info …           what a saved model is and how it was trained
  nngui inside …         one sample's pass through every layer, with the gradients
  nngui check-gradients  compare backprop with finite differences
  nngui export …         loss history, fit table and error map as CSV
"""

TRAIN_EPILOG = """\
With the defaults this is the seed article: inputs a, b uniform in [0, 100), targets a+b, a-b,
|a-b|, 10,000 samples, the first 70 % for training, layers 2 → 4 relu → 4 relu → 3 linear,
He initialisation, full-batch gradient descent with learning rate 0.01, 1,000 epochs, seed 42.

Ctrl+C stops training cleanly: the weights trained so far are reported and saved to --out, with
outcome "interrupted", and the exit status is 0. Training that diverges (the loss becomes
infinite, or 10^8 times its first value) is not an error either: the last good weights are
restored, saved and reported with outcome "diverged", and a note goes to stderr. Exit status 2
means a bad argument or file, 1 that the trained model could not be saved.

--json prints one object on stdout: task (regression or classification), epochs (trained in
total), epochs_run (by this command), seconds, params, outcome (completed, early_stopped,
time_limit, diverged, interrupted), restored_epoch, message, outputs, train_loss, val_loss,
test_loss; then for a regression test_seed_loss (standardised units; the article's reported
loss), test_rmse, test_mae and test_r2 (one per output, original units), and for a
classifier classes, test_accuracy, test_log_loss and confusion (rows: the true class); and
metrics (every split) and out.

examples:
  nngui train --out article.npz
  nngui train --hidden 64,64 --optimizer adam --lr 0.003 --batch-size 64 --val-ratio 0.15 \\
              --patience 200 --epochs 5000 --out fast.npz
  nngui train --targets 'a*b,max' --low -10 --high 10 --hidden 16:tanh,16:tanh --out prod.npz
  nngui train --init-from article.npz --epochs 9000 --out article-10k.npz
  nngui train --dataset spiral --noise 10 --features x1,x2,sin_x1,sin_x2 --preset fast
"""


def _add_data_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("data (the seed article's by default)")
    g.add_argument(
        "--samples",
        type=positive_int,
        metavar="N",
        help=f"number of samples drawn (default: {DATA.samples:,})",
    )
    g.add_argument(
        "--low",
        type=parse_bound,
        metavar="LO",
        help="lowest input value: one number for a and b, or LO_A,LO_B (default: 0)",
    )
    g.add_argument(
        "--high",
        type=parse_bound,
        metavar="HI",
        help="inputs are drawn uniformly from [LO, HI): one number or HI_A,HI_B (default: 100)",
    )
    g.add_argument(
        "--targets",
        metavar="LIST",
        help=f"outputs to learn, comma-separated, from: {', '.join(TARGETS)}; quote "
        f"the list in a shell, or use the names {', '.join(TARGET_ALIASES)} "
        f"(default: {','.join(DATA.targets)}); with --csv: the target columns (COLS)",
    )
    g.add_argument(
        "--noise",
        type=parse_number,
        metavar="SD",
        help=f"standard deviation of Gaussian noise added to the targets (default: {DATA.noise:g})",
    )
    g.add_argument(
        "--train-ratio",
        type=parse_number,
        metavar="R",
        help="leading share of samples used for fitting; the rest is the test set "
        f"(default: {DATA.train_ratio:g})",
    )
    g.add_argument(
        "--val-ratio",
        type=parse_number,
        metavar="R",
        help="trailing share of the fitting part held out for validation; the best "
        f"validation weights are kept (default: {DATA.val_ratio:g}, none)",
    )
    g.add_argument(
        "--seed",
        type=positive_int,
        metavar="N",
        help="seed of the one random stream that draws the data, then the weights "
        f"(default: {DATA.seed})",
    )


DEFAULT_POINTS = 500


def _add_playground_options(p: argparse.ArgumentParser) -> None:
    """The ``--dataset`` options of ``nngui train``."""
    g = p.add_argument_group(
        "TensorFlow Playground's data sets (instead of the formulas): inputs x1, x2, label"
    )
    g.add_argument("--dataset", choices=PLAYGROUND_SETS,
                   help="circle, xor, gauss and spiral are classified (labels -1 and 1), "
                   "plane and multi-gauss regressed")  # fmt: skip
    g.add_argument("--points", type=int, metavar="N",
                   help=f"points drawn (default: {DEFAULT_POINTS})")  # fmt: skip
    g.add_argument("--features", metavar="LIST",
                   help=f"input features, comma-separated, from {', '.join(FEATURES)} "
                   "(default: x1,x2)")  # fmt: skip


def _add_csv_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "own data (instead of the formulas): COLS are comma-separated column names as "
        "`nngui data FILE` prints them, :N the N-th column (from 1), :N-M a range"
    )
    g.add_argument("--csv", metavar="FILE", help="train on the columns of this CSV file")
    g.add_argument("--inputs", metavar="COLS",
                   help="input columns (default: every usable column but the targets)")  # fmt: skip
    g.add_argument("--missing-policy", choices=("drop", "mean"),
                   help="rows missing a value in a used column: drop them (default), or fill "
                   "missing inputs with their training mean (rows missing a target are "
                   "dropped)")  # fmt: skip
    g.add_argument("--task", choices=("regression", "classification"),
                   help="what to learn of the targets (default: a categorical target, strings or "
                   "0/1 codes, is classified; numbers are regressed)")  # fmt: skip
    shuffle = g.add_mutually_exclusive_group()
    shuffle.add_argument("--shuffle-seed", type=whole_number_in(0, 2**32 - 1), metavar="N",
                         help="seed of the shuffle of the rows before the split, and of the "
                         "weights (default: 0)")  # fmt: skip
    shuffle.add_argument("--no-shuffle", action="store_true",
                         help="split the rows in file order (time series)")  # fmt: skip
    add_reader_options(p)


def _add_network_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("network")
    g.add_argument(
        "--preset", choices=("article", "fast"),
        help="start from the window's preset: article (2-4-4-3, gradient descent; the "
        "default) or fast (32 relu units, Adam on minibatches, float32, a validation split "
        "whose best weights are kept; on a CSV file the batches follow its rows and training "
        "stops early); the other options change it",
    )  # fmt: skip
    g.add_argument(
        "--hidden",
        type=parse_hidden,
        metavar="LAYERS",
        help="hidden layers as units or units:activation, comma-separated, e.g. 4,4 "
        "or 8:tanh,4:relu; 'none' for no hidden layer (default: 4,4)",
    )
    g.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        metavar="NAME",
        help="activation of hidden layers that name none: "
        f"{', '.join(ACTIVATIONS)} (default: relu)",
    )
    g.add_argument(
        "--output-activation",
        choices=list(ACTIVATIONS),
        metavar="NAME",
        help="activation of the output layer (default: linear)",
    )
    g.add_argument(
        "--init",
        choices=INIT_SCHEMES,
        help=f"weight initialisation: he (the article's) or xavier (default: {TRAIN.init})",
    )
    g.add_argument(
        "--dtype",
        choices=DTYPES,
        help=f"float type of weights and data; float32 is faster (default: {TRAIN.dtype})",
    )
    g.add_argument(
        "--init-from",
        metavar="MODEL.npz",
        help="continue training a saved model on its own data, scalers and history; "
        "its training settings are the defaults, options given here override them",
    )


def _add_training_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("training")
    g.add_argument(
        "--optimizer",
        choices=OPTIMIZER_NAMES,
        help="gd: gradient descent (the article's), sgd, momentum or adam "
        f"(default: {TRAIN.optimizer})",
    )
    g.add_argument(
        "--lr", type=parse_number, metavar="RATE", help=f"learning rate (default: {TRAIN.lr:g})"
    )
    g.add_argument(
        "--batch-size",
        type=positive_int,
        metavar="N",
        help=f"samples per step; 0 = the whole training set (default: {TRAIN.batch_size})",
    )
    g.add_argument(
        "--momentum",
        type=parse_number,
        metavar="M",
        help=f"momentum of the momentum optimiser (default: {TRAIN.momentum:g})",
    )
    g.add_argument(
        "--l2",
        type=parse_number,
        metavar="DECAY",
        help=f"L2 weight decay on the weights, not the biases (default: {TRAIN.l2:g})",
    )
    g.add_argument(
        "--epochs",
        type=positive_int,
        metavar="N",
        help=f"epochs to train (default: {TRAIN.epochs:,})",
    )
    g.add_argument(
        "--class-weight",
        choices=("none", "balanced"),
        help="a classifier's rows: counted alike (none, the default), or balanced so that each "
        "class weighs as much in the objective (unbalanced data)",
    )
    g.add_argument(
        "--patience",
        type=positive_int,
        metavar="N",
        help="stop when the validation loss has not improved for N epochs; needs "
        f"--val-ratio; 0 = off (default: {TRAIN.patience})",
    )
    g.add_argument(
        "--time-limit",
        type=parse_number,
        metavar="SECONDS",
        help="stop after this many seconds; 0 = no limit (default: 0)",
    )


def _add_output_options(p: argparse.ArgumentParser, saves: bool = False) -> None:
    g = p.add_argument_group("output")
    if saves:
        g.add_argument(
            "--out",
            metavar="MODEL.npz",
            help="save the trained model here (checked before training starts)",
        )
    g.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    if saves:
        g.add_argument(
            "--quiet",
            action="store_true",
            help="no progress line, summary or notes (errors still go to stderr)",
        )


def build_parser() -> Parser:
    """The ``nngui`` parser with the subcommands train, predict, evaluate and info."""
    parser = Parser(
        prog="nngui",
        usage="nngui [MODEL.npz | DATA.csv] | nngui COMMAND …",
        description=MAIN_DESCRIPTION,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"nngui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    train = sub.add_parser(
        "train",
        prog="nngui train",
        help="train a network",
        formatter_class=_Formatter,
        description="Train a network without a window.",
        epilog=TRAIN_EPILOG,
    )
    _add_data_options(train)
    _add_csv_options(train)
    _add_playground_options(train)
    _add_network_options(train)
    _add_training_options(train)
    _add_output_options(train, saves=True)

    predict = sub.add_parser(
        "predict",
        prog="nngui predict",
        help="outputs of a saved model",
        formatter_class=_Formatter,
        description="Print the model's outputs (original units) for each input point, one "
        "comma-separated row per point.",
        epilog="example:\n  nngui predict article.npz 30,70 -3,4 1.5,2e3",
    )
    predict.add_argument("model", metavar="MODEL.npz", help="a model saved by nngui")
    predict.add_argument(
        "points",
        nargs="*",
        metavar="A,B",
        help="input values of one sample, comma-separated (negative ones too)",
    )
    rows = predict.add_argument_group("a CSV file's rows instead of points")
    rows.add_argument("--csv", metavar="IN.csv",
                      help="append the predictions to every row of this file (its columns "
                      "matched by name), as predicted_<target> columns")  # fmt: skip
    rows.add_argument("--out", metavar="OUT.csv",
                      help="write the rows here (default: stdout)")  # fmt: skip
    add_reader_options(predict)
    _add_output_options(predict)

    evaluate = sub.add_parser(
        "evaluate",
        prog="nngui evaluate",
        help="metrics on the model's regenerated data",
        formatter_class=_Formatter,
        description="Regenerate the data the model was trained on (same settings, same seed) "
        "and print its metrics on every split and output.",
    )
    evaluate.add_argument("model", metavar="MODEL.npz", help="a model saved by nngui")
    evaluate.add_argument("--csv", metavar="FILE",
                          help="measure on this file's rows instead (its columns matched by "
                          "name): rows, RMSE, MAE, R² and max error per output")  # fmt: skip
    add_reader_options(evaluate)
    _add_output_options(evaluate)

    info = sub.add_parser(
        "info",
        prog="nngui info",
        help="what a saved model is",
        formatter_class=_Formatter,
        description="Print a model's layers, parameter count, data and training settings, "
        "epochs trained, how training ended and its final metrics.",
    )
    info.add_argument("model", metavar="MODEL.npz", help="a model saved by nngui")
    _add_output_options(info)
    _add_explain_commands(sub)
    _add_data_command(sub)
    return parser


def add_reader_options(p: argparse.ArgumentParser) -> None:
    """How a CSV file is written, each found by looking unless given."""
    g = p.add_argument_group("reading the CSV (each is detected unless given)")
    g.add_argument("--delimiter", type=delimiter, metavar="C",
                   help="comma, semicolon, tab, pipe or space (runs of whitespace); also "
                   "',', ';', '\\t', '|', ' '")  # fmt: skip
    g.add_argument("--decimal", choices=(".", ","), help="the decimal mark")
    g.add_argument("--encoding", metavar="E", help="e.g. utf-8, cp1252, latin-1")
    header = g.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_const", const=True,
                        help="the first line names the columns")  # fmt: skip
    header.add_argument("--no-header", dest="header", action="store_const", const=False,
                        help="the first line is data")  # fmt: skip
    g.add_argument("--missing", type=markers, default=(), metavar="MARKERS",
                   help="more markers of a missing value, comma-separated (empty, NA, N/A, "
                   "NaN, nan, null, NULL, ?, - always are)")  # fmt: skip


DELIMITER_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|",
                   "space": " ", "whitespace": " "}  # fmt: skip


def delimiter(text: str) -> str:
    """A delimiter given by name or as itself."""
    d = DELIMITER_WORDS.get(text.lower(), text)
    if d not in (",", ";", "\t", "|", " "):
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a delimiter: use comma, semicolon, tab, pipe or space"
        )
    return d


def markers(text: str) -> tuple[str, ...]:
    """Comma-separated markers of a missing value."""
    found = tuple(m.strip() for m in text.split(",") if m.strip())
    if not found:
        raise argparse.ArgumentTypeError("give at least one marker, e.g. --missing 'n/a,-999'")
    return found


def _add_data_command(sub: argparse._SubParsersAction) -> None:
    """The subcommand data (see cli_data)."""
    data = sub.add_parser(
        "data", prog="nngui data", help="what a CSV file holds",
        formatter_class=_Formatter,
        description="Describe a CSV file: how it is written (encoding, delimiter, decimal "
        "mark, header), its rows, and per column its kind (numeric, categorical, text, "
        "empty), missing values, distinct values and the range of the numbers.",
        epilog="example:\n  nngui data measurements.csv\n  nngui data export.txt "
        "--delimiter semicolon --decimal , --json",
    )  # fmt: skip
    data.add_argument("file", metavar="FILE", help="a CSV (or other delimited text) file")
    add_reader_options(data)
    _add_output_options(data)


def _add_explain_commands(sub: argparse._SubParsersAction) -> None:
    """The subcommands inside, check-gradients and export (see cli_explain)."""
    inside = sub.add_parser(
        "inside", prog="nngui inside", help="one sample's pass through every layer",
        formatter_class=_Formatter,
        description="For one input point (original units; its target from the formulas) print "
        "every layer's Z, A and, after the backward pass, dZ, dW and db, then the dead relu "
        "units on the training data.",
        epilog="example:\n  nngui inside article.npz 30,70",
    )  # fmt: skip
    inside.add_argument("model", metavar="MODEL.npz", help="a model saved by nngui")
    inside.add_argument("point", metavar="A,B", help="input values, comma-separated")
    _add_output_options(inside)
    check = sub.add_parser(
        "check-gradients", prog="nngui check-gradients", formatter_class=_Formatter,
        help="compare backprop with finite differences",
        description="Compare the gradients the training engine computes (backprop) with "
        "central finite differences on the model's training data. Exit status 1 when the "
        "largest relative difference exceeds the tolerance.",
    )  # fmt: skip
    check.add_argument("model", metavar="MODEL.npz", help="a model saved by nngui")
    check.add_argument("--samples", type=count, default=32, metavar="N",
                       help="training rows to use (default: 32)")  # fmt: skip
    check.add_argument("--params", type=count, default=400, metavar="N",
                       help="most parameters to check, a random subset (default: 400)")  # fmt: skip
    _add_output_options(check)
    export = sub.add_parser(
        "export", prog="nngui export", help="loss history, fit table, error map as CSV",
        formatter_class=_Formatter,
        description="Write tables of a saved model as CSV files (- for stdout).",
        epilog="example:\n  nngui export article.npz --history loss.csv --fit fit.csv",
    )  # fmt: skip
    export.add_argument("model", metavar="MODEL.npz", help="a model saved by nngui")
    export.add_argument("--history", metavar="FILE.csv",
                        help="every epoch's train, validation and test loss")  # fmt: skip
    export.add_argument("--fit", metavar="FILE.csv",
                        help="MSE, RMSE, MAE, R² and max error per split and output")  # fmt: skip
    export.add_argument("--error-map", metavar="FILE.csv",
                        help="|prediction − truth| on an (a, b) grid, per output")  # fmt: skip
    export.add_argument("--resolution", type=whole_number_in(MIN_RESOLUTION, MAX_RESOLUTION),
                        default=DEFAULT_RESOLUTION, metavar="N",
                        help=f"error map grid points per axis, {MIN_RESOLUTION} to "
                        f"{MAX_RESOLUTION:,} (default: {DEFAULT_RESOLUTION})")  # fmt: skip
    export.add_argument("--extend", type=number_in(0.0, MAX_EXTEND), default=0.0, metavar="F",
                        help="extend the error map past the training range by F range "
                        f"widths on each side, 0 to {MAX_EXTEND:g} (default: 0)")  # fmt: skip


def build_gui_parser() -> Parser:
    """The parser of ``nngui [MODEL.npz | DATA.csv]``, which opens the window."""
    parser = Parser(prog="nngui", description=MAIN_DESCRIPTION, formatter_class=_Formatter)
    parser.add_argument(
        "model", nargs="?", metavar="MODEL.npz | DATA.csv",
        help="a model to open, or a CSV file to import",
    )  # fmt: skip
    return parser
