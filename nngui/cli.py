"""The ``nngui`` command: opens the window, or trains, predicts, evaluates and explains models.

``nngui``, ``nngui MODEL.npz`` and ``nngui DATA.csv`` open the window (the GUI is imported only
then, so the other commands work on machines without Qt). ``train``, ``predict``, ``evaluate``,
``info``, ``inside``, ``check-gradients`` and ``export`` run headless; ``--help`` on each
explains the options. Exit status: 0 when the command did its work, including training that was
interrupted with Ctrl+C, stopped early, hit its time limit or diverged (the outcome is reported
and the finite weights are saved); 1 when the trained model could not be saved or a gradient
check failed; 2 for a bad argument or file, or when the window is not available; 130 when a
second Ctrl+C aborts at once.
"""

from __future__ import annotations

import argparse
import ctypes.util
import dataclasses
import math
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from nngui.cli_args import (
    COMMANDS,
    UsageError,
    build_gui_parser,
    build_parser,
    check_path,
    check_save_path,
    parse_numbers,
    parse_targets,
    printable,
    protect_negative_numbers,
    read_model,
)
from nngui.cli_data import (
    check_no_csv_options,
    check_rows_options,
    cmd_data,
    csv_dataset,
    evaluate_rows,
    predict_rows,
)
from nngui.cli_explain import cmd_check_gradients, cmd_export, cmd_inside
from nngui.cli_playground import check_no_playground_options, output_layer, playground_dataset
from nngui.cli_report import (
    class_metrics_table,
    info_text,
    metrics_table,
    model_info,
    print_json,
    train_report,
    train_summary,
)
from nngui.core.classification import Classes
from nngui.core.csv_dialect import DATA_SUFFIXES, CsvError, sniff
from nngui.core.csv_source import CsvSpec
from nngui.core.data import Dataset, DataSpec, DataSpecError
from nngui.core.model import Model
from nngui.core.model_file import MAX_PARAMETERS, ModelFileError, save_model
from nngui.core.network import LayerSpec, Network, count_parameters
from nngui.core.presets import ARTICLE, FAST, Preset, preset_for_task, training_on_own_data
from nngui.core.setup import fresh_start, start_on
from nngui.core.training import (
    History,
    Progress,
    TrainConfig,
    TrainConfigError,
    Trainer,
    weights_epoch_after,
)

DATA_FIELDS = ("samples", "noise", "train_ratio", "val_ratio", "seed")
TRAIN_FIELDS = ("optimizer", "lr", "batch_size", "momentum", "l2", "epochs", "patience",
                "time_limit", "init", "dtype", "class_weight")  # fmt: skip
#: Options that --init-from cannot take: the saved model fixes its data and layers.
FIXED_BY_MODEL = ("samples", "low", "high", "targets", "noise", "train_ratio", "val_ratio",
                  "seed", "hidden", "activation", "output_activation", "init", "inputs",
                  "missing_policy", "shuffle_seed", "preset")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the ``nngui`` command with ``argv`` (default: sys.argv[1:]); return the exit status."""
    argv = protect_negative_numbers(list(sys.argv[1:] if argv is None else argv))
    try:
        if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
            return run_gui(argv)
        parser = build_parser()
        if argv[0] in COMMANDS:  # unknown options are reported by the main parser
            parser.help_hint = f"nngui {argv[0]}"
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_usage(sys.stderr)
            return 2
        return COMMAND_FUNCTIONS[args.command](args)
    except SystemExit as exc:  # argparse's --help, --version and errors
        return exc.code if isinstance(exc.code, int) else 2
    except (UsageError, ModelFileError, CsvError) as exc:
        print(f"nngui: {one_line(exc)}", file=sys.stderr)
        return 2
    except (DataSpecError, TrainConfigError) as exc:
        print(f"nngui: {one_line(exc)} (see nngui train --help)", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `nngui predict … | head -1`: the reader left, nothing to say
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        print("\nnngui: aborted", file=sys.stderr)
        return 130
    except MemoryError:
        print(
            "nngui: not enough memory for this: use fewer samples, smaller layers or a lower "
            "resolution",
            file=sys.stderr,
        )
        return 2


def one_line(exc: Exception) -> str:
    """The message of ``exc`` on one line."""
    return " ".join(str(exc).split())


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# ----- the window -------------------------------------------------------------------------
def run_gui(argv: list[str]) -> int:
    """``nngui [MODEL.npz | DATA.csv]``: check the file, then open the window (imported
    lazily) with the model, or the import view of the data."""
    args = build_gui_parser().parse_args(argv)
    model, data = args.model, None
    if args.model is not None:
        check_path(args.model)
        path = Path(args.model)
        if path.suffix.lower() in DATA_SUFFIXES:  # a data file: the window's import view
            model, data = None, args.model
            try:
                sniff(args.model)
            except CsvError as exc:
                raise UsageError(str(exc)) from None
        elif path.suffix.lower() != ".npz" and not _exists(path):
            raise UsageError(
                f"{args.model!r} is neither a command ({', '.join(COMMANDS)}) nor a model file"
            )
        else:
            read_model(args.model)
    try:
        from nngui.gui import xcb_preflight
        from nngui.gui.app import display_problem, run_app
    except ImportError as exc:
        print(
            f"nngui: the desktop window is not available: {one_line(exc)}; "
            "the commands train, predict, evaluate and info work headless",
            file=sys.stderr,
        )
        return 2
    problem = display_problem(
        os.environ,
        ctypes.util.find_library,
        plugin_problem=xcb_preflight.plugin_problem,
        x_server_problem=xcb_preflight.x_server_problem,
    )
    if problem is not None:  # Qt would abort with a message that hides the cause
        print(f"nngui: {problem}", file=sys.stderr)
        return 2
    return int(run_app(model, data))


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; False when the system cannot even tell."""
    try:
        return path.exists()
    except OSError:
        return False


# ----- train: settings --------------------------------------------------------------------
def given(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    """The options among ``names`` that were given on the command line."""
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


#: --preset's names → the GUI's presets.
PRESET_NAMES = {"article": ARTICLE, "fast": FAST}


def chosen_preset(args: argparse.Namespace) -> Preset:
    """The preset of --preset (the article's by default)."""
    return PRESET_NAMES[getattr(args, "preset", None) or "article"]


def build_spec(args: argparse.Namespace) -> DataSpec:
    """The data settings: the preset's (the article's by default), overridden by the options."""
    base = chosen_preset(args).data
    assert isinstance(base, DataSpec)  # --preset's presets draw the formulas
    low = args.low or [lo for lo, _ in base.ranges]
    high = args.high or [hi for _, hi in base.ranges]
    changes = given(args, DATA_FIELDS)
    if args.targets is not None:
        try:
            changes["targets"] = parse_targets(args.targets)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"--targets: {exc}") from None
    return dataclasses.replace(base, ranges=tuple(zip(low, high, strict=True)), **changes)


def build_config(args: argparse.Namespace, base: TrainConfig) -> TrainConfig:
    """The training settings: ``base`` overridden by the options given."""
    return dataclasses.replace(base, **given(args, TRAIN_FIELDS))


def build_layers(
    args: argparse.Namespace, n_outputs: int, preset: Preset | None = None
) -> list[LayerSpec]:
    """Hidden layers from --hidden and --activation (default: ``preset``'s, else --preset's),
    then the output layer."""
    preset = preset if preset is not None else chosen_preset(args)
    if args.hidden is not None:
        default = args.activation or "relu"
        layers = [LayerSpec(units, act or default) for units, act in args.hidden]
    else:
        layers = [LayerSpec(s.units, args.activation or s.activation) for s in preset.layers[:-1]]
    output = args.output_activation or preset.layers[-1].activation
    return [*layers, LayerSpec(n_outputs, output)]


def check_out_path(path: str | None) -> Path | None:
    """Check before training that --out can be written, so that no training is lost."""
    return None if path is None else check_save_path(path, "--out", ".npz", expand_user=True)


#: What training starts from: network, data, settings, history, and the epoch of the weights
#: when an earlier run restored them (None: the history's last epoch).
Setup = tuple[Network, Dataset, TrainConfig, History, int | None]


def fresh_setup(args: argparse.Namespace) -> Setup:
    """A new network: data, then weights, from one RandomState(seed) stream (the article's)."""
    if getattr(args, "dataset", None) is not None:
        return playground_setup(args)
    check_no_playground_options(args)
    if args.csv is not None:
        return csv_setup(args)
    check_no_csv_options(args)
    spec = build_spec(args)
    config = build_config(args, chosen_preset(args).training)
    if config.patience and not spec.val_ratio:
        raise UsageError("--patience needs a validation split: give --val-ratio too, e.g. 0.15")
    check_class_weight(config, "regression")
    layers = build_layers(args, len(spec.targets))
    check_size(len(spec.ranges), layers, spec.samples)
    ds, net = fresh_start(spec, layers, config.init, config.dtype)
    return net, ds, config, History(), None


def playground_setup(args: argparse.Namespace) -> Setup:
    """A new network on a Playground set (a classifier on circle, xor, gauss and spiral); its
    weights from RandomState(--seed), like its points."""
    check_no_csv_options(args)
    return own_data_setup(args, playground_dataset(args, chosen_preset(args).data.val_ratio))


def own_data_setup(args: argparse.Namespace, ds: Dataset) -> Setup:
    """A new network on data already read or drawn: the preset as it applies to the task,
    fitted to the rows (batches, early stopping), the output layer the task's."""
    preset = preset_for_task(chosen_preset(args), ds.task)
    base = training_on_own_data(preset, len(ds.train), ds.val is not None)
    config = build_config(args, base)
    if config.patience and ds.val is None:
        raise UsageError("--patience needs a validation split: give --val-ratio too, e.g. 0.15")
    check_class_weight(config, ds.task)
    hidden = build_layers(args, ds.n_outputs, preset)
    layers = [*hidden[:-1], output_layer(args, ds, hidden[-1])]
    check_size(ds.n_inputs, layers, len(ds.train) + len(ds.test))
    ds, net = start_on(ds, layers, config.init, config.dtype)
    return net, ds, config, History(), None


def check_class_weight(config: TrainConfig, task: str) -> None:
    """Refuse class weights for a regression (they weigh classes)."""
    if config.class_weight != "none" and task != "classification":
        raise UsageError("--class-weight is for classifiers; this data set is regressed")


def csv_setup(args: argparse.Namespace) -> Setup:
    """A new network on a CSV file's columns; its weights from RandomState(--shuffle-seed)."""
    # A good default on own data too: batches to the rows, early stopping.
    return own_data_setup(args, csv_dataset(args, _note(args), chosen_preset(args).data.val_ratio))


#: The most values one full-batch pass may hold in a layer's activations (about 1.6 GB as
#: float64 with their gradients): samples × widest layer.
MAX_ACTIVATIONS = 100_000_000


def check_size(n_inputs: int, layers: list[LayerSpec], samples: int) -> None:
    """Refuse, before any work, a network that could not be saved or data that would not fit."""
    parameters = count_parameters(n_inputs, layers)
    if parameters > MAX_PARAMETERS:
        raise UsageError(
            f"the network has {parameters:,} parameters, more than the {MAX_PARAMETERS:,} a "
            "model file holds: use fewer or smaller hidden layers"
        )
    widest = max([n_inputs, *(layer.units for layer in layers)])
    if samples * widest > MAX_ACTIVATIONS:
        raise UsageError(
            f"{samples:,} samples through a layer of {widest:,} units is more than "
            f"{MAX_ACTIVATIONS:,} values per pass: use fewer samples or units"
        )


def continued_setup(args: argparse.Namespace) -> Setup:
    """A saved model, its regenerated data standardised by its own scalers, and its history."""
    fixed = given(args, FIXED_BY_MODEL)
    if fixed:
        option = "--" + next(iter(fixed)).replace("_", "-")
        raise UsageError(
            f"{option} cannot be used with --init-from: the model keeps its data and layers"
        )
    model = read_model(args.init_from)
    if model.data_spec is None:
        raise UsageError(f"{args.init_from} does not record its data settings; cannot continue")
    if args.csv is not None:  # the model's CSV file, moved: the same content, found here
        if not isinstance(model.data_spec, CsvSpec):
            raise UsageError("--csv with --init-from is for a model trained on a CSV file")
        check_path(args.csv, "--csv")
        model.data_spec = dataclasses.replace(model.data_spec, path=os.path.abspath(args.csv))
    config = build_config(args, model.train_config or TrainConfig())
    if config.patience and not model.data_spec.val_ratio:
        raise UsageError("--patience needs a validation split, and this model was trained without")
    if model.network.dtype != np.dtype(config.dtype):
        model.network = model.network.astype(np.dtype(config.dtype).type)
    ds = model.training_data(np.float64)  # float64, as a fresh start and the window have it
    return model.network, ds, config, model.history, model.weights_epoch


# ----- train: running ---------------------------------------------------------------------
class ProgressLine:
    """One line on a terminal, rewritten in place with ``\\r`` at each progress report."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = 0

    def __call__(self, p: Progress) -> None:
        """Show epoch/total, losses and speed."""
        parts = [f"epoch {p.epoch:,}/{p.epochs_target:,}", f"train {p.train_loss:.6g}"]
        if math.isfinite(p.val_loss):
            parts.append(f"val {p.val_loss:.6g}")
        parts += [f"test {p.test_loss:.6g}", f"{p.epochs_per_second:,.0f} epochs/s"]
        columns = shutil.get_terminal_size().columns - 1
        line = "  ".join(parts)[:columns]
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        """End the line, if one was written."""
        if self.width:
            self.stream.write("\n")
            self.stream.flush()


class StopFlag:
    """``should_stop`` for the trainer, set by the first Ctrl+C (the second one aborts)."""

    def __init__(self) -> None:
        self.stopped = False

    def __call__(self) -> bool:
        return self.stopped

    def _on_sigint(self, signum: int, frame: object) -> None:
        self.stopped = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Catch Ctrl+C while the block runs (only possible in the main thread)."""
        try:
            previous = signal.signal(signal.SIGINT, self._on_sigint)
        except ValueError:  # not the main thread: Ctrl+C cannot be caught here
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def cmd_train(args: argparse.Namespace) -> int:
    """``nngui train``: build or load, train, save and report."""
    out = check_out_path(args.out)
    if args.init_from is not None and not args.init_from.strip():
        raise UsageError("--init-from needs the path of a model file to continue from")
    setup = continued_setup(args) if args.init_from else fresh_setup(args)
    net, ds, config, history, weights_epoch = setup
    note = _note(args)
    if net.parameter_count() >= len(ds.train):
        note(f"{net.parameter_count():,} parameters for {len(ds.train):,} training samples: "
             "expect overfitting")  # fmt: skip
    trainer = Trainer(net, ds, config, history, weights_epoch)
    progress = ProgressLine(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    stop = StopFlag()
    with stop.installed():
        result = trainer.run(on_progress=progress, should_stop=stop)
    if progress is not None:
        progress.close()
    model = Model.from_dataset(net, ds, config, trainer.history)
    with np.errstate(all="ignore"):  # weights restored after divergence may be huge
        model.metrics = model.evaluate(ds)
    model.outcome = result.outcome
    model.weights_epoch = weights_epoch_after(result, weights_epoch)
    if result.message:
        note(result.message)
    status = 0
    if out is not None:
        try:
            save_model(model, out)
        except (OSError, ModelFileError) as exc:
            print(f"nngui: {one_line(exc)}", file=sys.stderr)
            out, status = None, 1
    report = train_report(model, result, out)
    if args.json:
        print_json(report)
    elif not args.quiet:
        print(train_summary(report))
    return status


def _note(args: argparse.Namespace) -> Callable[[str], None]:
    """A function printing "nngui: message" on stderr, unless --quiet."""

    def note(message: str) -> None:
        if not args.quiet:
            print(f"nngui: {message}", file=sys.stderr)

    return note


# ----- predict, evaluate, info ------------------------------------------------------------
def cmd_predict(args: argparse.Namespace) -> int:
    """``nngui predict``: one CSV row of outputs (original units) per input point."""
    model = read_model(args.model)
    if args.csv is not None:
        return predict_rows(args, model)
    check_rows_options(args)
    if not args.points:
        raise UsageError("give input points (A,B …) or --csv IN.csv")
    n = model.network.n_inputs
    x = np.array([parse_numbers(p.strip(), n, "point") for p in args.points])
    with np.errstate(all="ignore"):
        y = model.predict(x)
    bad = np.flatnonzero(~np.isfinite(y).all(axis=1))
    if bad.size:
        raise UsageError(
            f"the prediction for point {bad[0] + 1} ({args.points[bad[0]].strip()}) overflowed "
            "to infinity or NaN: its inputs are far outside the range the model was trained on"
        )
    if model.task == "classification":  # the class, then a probability per class
        classes = Classes(model.classes)
        p = classes.class_probabilities(y)
        names = [classes.names[i] for i in np.argmax(p, axis=1)]
        if args.json:
            print_json([{"class": c, "probabilities": [float(v) for v in row]}
                        for c, row in zip(names, p, strict=True)])  # fmt: skip
        else:
            for c, row in zip(names, p, strict=True):
                print(",".join([c, *(f"{v:.10g}" for v in row)]))
        return 0
    if args.json:
        print_json([[float(v) for v in row] for row in y])
    else:
        for row in y:
            print(",".join(f"{v:.10g}" for v in row))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``nngui evaluate``: metrics on the model's regenerated data, per split and output."""
    model = read_model(args.model)
    if args.csv is not None:
        return evaluate_rows(args, model)
    check_rows_options(args)
    if model.data_spec is None:
        raise UsageError(f"{args.model} does not record its data settings; cannot regenerate them")
    with np.errstate(all="ignore"):
        metrics = model.evaluate(model.regenerate_data())
    if args.json:
        print_json(
            {
                "model": printable(args.model),
                "outputs": list(model.output_names),
                "metrics": metrics,
            }
        )
    else:
        if model.task == "classification":
            print(class_metrics_table(metrics, model.classes))
        else:
            print(metrics_table(metrics, model.output_names))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """``nngui info``: layers, parameters, settings, epochs, outcome and final metrics."""
    model = read_model(args.model)
    if args.json:
        print_json(model_info(model, args.model))
    else:
        print(info_text(model, args.model))
    return 0


COMMAND_FUNCTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "train": cmd_train,
    "predict": cmd_predict,
    "evaluate": cmd_evaluate,
    "info": cmd_info,
    "inside": cmd_inside,
    "check-gradients": cmd_check_gradients,
    "export": cmd_export,
    "data": cmd_data,
}
