"""``nngui data FILE``: what a CSV file holds, as a table or as one JSON object."""

from __future__ import annotations

import argparse
import json
import sys

from nngui.cli_args import check_path
from nngui.core.csv_dialect import DELIMITER_NAMES, sniff
from nngui.core.csv_table import Table, read_table
from nngui.core.run_text import plural


def read_args_table(args: argparse.Namespace) -> Table:
    """The CSV named by ``args.file``, read with the reader options given in ``args``."""
    check_path(args.file, "the CSV file")
    dialect = sniff(
        args.file, delimiter=args.delimiter, decimal=args.decimal, encoding=args.encoding,
        header=args.header, missing=args.missing or None,
    )  # fmt: skip
    return read_table(args.file, dialect)


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
