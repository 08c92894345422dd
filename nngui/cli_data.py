"""``nngui data FILE``: what a CSV file holds, as a table or as one JSON object."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from nngui.cli_args import UsageError, check_path, check_save_path
from nngui.cli_report import class_metrics_table
from nngui.core.atomic_file import write_atomically
from nngui.core.csv_dialect import DELIMITER_NAMES, Dialect, sniff
from nngui.core.csv_predict import PredictedRows, evaluate_csv, predict_csv
from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.csv_table import Table, read_table
from nngui.core.data import Dataset
from nngui.core.model import Model
from nngui.core.run_text import plural

#: Options for the formulas' data only, and those for a CSV file only.
FORMULA_OPTIONS = ("samples", "low", "high", "noise", "seed")
CSV_OPTIONS = ("inputs", "missing_policy", "task", "shuffle_seed", "delimiter", "decimal",
               "encoding", "header", "missing")  # fmt: skip


def args_dialect(
    args: argparse.Namespace, path: str, option: str, missing: tuple[str, ...] | None = None
) -> Dialect:
    """How the CSV at ``path`` (given as ``option``) is written: found by looking, but for the
    reader options given (missing markers: those given, else ``missing``)."""
    check_path(path, option)
    return sniff(
        path, delimiter=args.delimiter, decimal=args.decimal, encoding=args.encoding,
        header=args.header, missing=args.missing or missing,
    )  # fmt: skip


def read_args_table(args: argparse.Namespace, path: str | None = None) -> Table:
    """The CSV named by ``path`` (default ``args.file``), read with the reader options given."""
    path = args.file if path is None else path
    return read_table(path, args_dialect(args, path, "the CSV file"))


def column_names(text: str, table: Table, option: str) -> tuple[str, ...]:
    """COLS of ``option``: names (in double quotes if they hold a comma), ``:N`` (the N-th
    column, from 1) and ``:N-M`` ranges."""
    names: list[str] = []
    count = len(table.columns)
    parts = next(csv.reader([text], skipinitialspace=True), []) if text.strip() else []
    for part in parts:
        part = part.strip()
        if part.startswith(":"):
            low, _, high = part[1:].partition("-")
            try:
                first, last = int(low), int(high or low)
            except ValueError:
                raise UsageError(f"{option}: {part!r} is not :N or :N-M") from None
            if not 1 <= first <= last <= count:
                raise UsageError(f"{option}: {part} is not within the {count} columns (1 to "
                                 f"{count})")  # fmt: skip
            names += [c.name for c in table.columns[first - 1 : last]]
        else:
            table.column(part)  # raises, naming the columns there are
            names.append(part)
    if not names:
        raise UsageError(f"{option}: name at least one column")
    if len(set(names)) != len(names):
        raise UsageError(f"{option}: a column is named twice")
    return tuple(names)


def check_no_csv_options(args: argparse.Namespace) -> None:
    """Refuse CSV-only options without --csv."""
    for name in CSV_OPTIONS:
        if getattr(args, name, None) not in (None, (), False):
            raise UsageError(f"--{name.replace('_', '-')} needs --csv FILE")
    if getattr(args, "no_shuffle", False):
        raise UsageError("--no-shuffle needs --csv FILE")


def csv_dataset(
    args: argparse.Namespace, note: Callable[[str], None], val_ratio: float = 0.0
) -> Dataset:
    """The data set of ``--csv FILE``'s columns: rows shuffled (unless --no-shuffle), split
    and standardised (``val_ratio`` unless --val-ratio is given); notes (columns left out,
    rows dropped) go to ``note``."""
    for name in FORMULA_OPTIONS:
        if getattr(args, name, None) is not None:
            raise UsageError(f"--{name} is for the formulas' data, not with --csv")
    if args.targets is None:
        raise UsageError("--csv needs --targets: the column(s) to learn")
    table = read_args_table(args, args.csv)
    targets = column_names(args.targets, table, "--targets")
    inputs = column_names(args.inputs, table, "--inputs") if args.inputs is not None else ()
    spec = CsvSpec(
        os.path.abspath(args.csv), inputs, targets, table.dialect, args.missing_policy or "drop",
        not args.no_shuffle, args.shuffle_seed or 0,
        0.7 if args.train_ratio is None else args.train_ratio,
        val_ratio if args.val_ratio is None else args.val_ratio, args.task or "",
    )  # fmt: skip
    data = make_csv_dataset(spec, table)
    for message in data.notes:
        note(message)
    if data.dropped:
        note(f"{plural(data.dropped, 'row')} dropped for missing values")
    return data.dataset


def table_text(table: Table) -> str:
    """The description ``nngui data`` prints: how the file is written, then a line a column."""
    d = table.dialect
    header = "a header line" if d.header else "no header line"
    lines = [
        f"{table.path}: {plural(table.rows, 'row')}, {plural(len(table.columns), 'column')}; "
        f"{DELIMITER_NAMES[d.delimiter]}-separated, decimal mark '{d.decimal}', {d.encoding}, "
        f"{header}",
        "",
    ]
    width = max(len("column"), *(len(c.name) for c in table.columns))
    lines.append(
        f"{'column':<{width}}  {'kind':<11}  {'missing':>7}  {'distinct':>8}  "
        f"{'min':>11}  {'max':>11}  {'mean':>11}"
    )
    for c in table.columns:
        s = c.summary()
        numbers = [
            f"{s[k]:>11.5g}" if s[k] is not None else f"{'—':>11}" for k in ("min", "max", "mean")
        ]
        lines.append(
            f"{c.name:<{width}}  {c.kind:<11}  {c.missing:>7,}  {c.distinct:>8,}  "
            + "  ".join(numbers)
        )
    unusable = [c.name for c in table.columns if c.kind in ("text", "empty")]
    if unusable:
        lines += ["", f"not usable as inputs or targets (text or empty): {', '.join(unusable)}"]
    return "\n".join(lines)


def cmd_data(args: argparse.Namespace) -> int:
    """Describe a CSV file (see ``table_text`` and ``Table.summary``)."""
    table = read_args_table(args)
    if args.json:
        json.dump(table.summary(), sys.stdout)
        print()
    else:
        print(table_text(table))
    return 0


def trained_markers(model: Model) -> tuple[str, ...] | None:
    """The missing-value markers given when the model was trained on a CSV file."""
    spec = model.data_spec
    return spec.dialect.missing or None if isinstance(spec, CsvSpec) else None


def check_rows_options(args: argparse.Namespace) -> None:
    """Refuse the reader options (and --out) of predict and evaluate without --csv."""
    for name in ("delimiter", "decimal", "encoding", "header", "missing", "out"):
        if getattr(args, name, None) not in (None, ()):
            raise UsageError(f"--{name} needs --csv FILE")


def predict_rows(args: argparse.Namespace, model: Model) -> int:
    """``nngui predict MODEL --csv IN [--out OUT]``: every row with its predictions."""
    if args.points:
        raise UsageError("give input points or --csv IN.csv, not both")
    if args.json and args.out is None:
        raise UsageError("--json with --csv needs --out OUT.csv (the rows go to stdout otherwise)")
    out = None
    if args.out is not None:
        out = check_save_path(args.out, "--out", expand_user=True)
        if os.path.exists(args.csv) and out.resolve() == Path(args.csv).resolve():
            raise UsageError("--out would overwrite the input file: give another name")
    dialect = args_dialect(args, args.csv, "--csv", trained_markers(model))
    if out is None:
        done = predict_csv(model, args.csv, dialect, sys.stdout)
    else:
        result: list[PredictedRows] = []

        def write(f: BinaryIO) -> None:
            text = io.TextIOWrapper(f, encoding=dialect.encoding, newline="")
            result.append(predict_csv(model, args.csv, dialect, text))
            text.flush()
            text.detach()

        write_atomically(out, write)
        done = result[0]
    if done.missing and not args.json:
        print(f"nngui: {plural(done.missing, 'row')} of {done.rows:,} without a prediction: "
              "an input is missing, not a number, or a category the model does not know "
              "(categories are matched exactly)", file=sys.stderr)  # fmt: skip
    if args.json:
        json.dump({"rows": done.rows, "missing": done.missing, "out": str(out)}, sys.stdout)
        print()
    return 0


def evaluate_rows(args: argparse.Namespace, model: Model) -> int:
    """``nngui evaluate MODEL --csv FILE``: the model's metrics on the file's rows."""
    dialect = args_dialect(args, args.csv, "--csv", trained_markers(model))
    report = evaluate_csv(model, args.csv, dialect)
    if args.json:
        json.dump(report, sys.stdout)
        print()
        return 0
    skipped = f" ({report['skipped']:,} skipped: a value missing)" if report["skipped"] else ""
    lines = [f"{plural(report['rows'], 'row')} of {args.csv}{skipped}", ""]
    if "classes" in report:
        print("\n".join([*lines, class_metrics_table({"rows": report}, model.classes)]))
        return 0
    lines.append(f"{'output':<16}{'RMSE':>12}{'MAE':>12}{'R²':>10}{'max error':>12}")
    for i, name in enumerate(report["outputs"]):
        lines.append(
            f"{name:<16}{report['rmse'][i]:>12.6g}{report['mae'][i]:>12.6g}"
            f"{report['r2'][i]:>10.6g}{report['max_error'][i]:>12.6g}"
        )
    print("\n".join(lines))
    return 0
