"""The ``inequalities`` command line: the engine's statistics on CSV or Parquet files.

    inequalities proportion data.csv --group-by area --multiplier 100
    inequalities profile people.parquet --spec spec.yaml --lookup lookup.csv --out-dir out/

Every subcommand reads the file named first (CSV, or Parquet when it ends in .parquet; ``-``
reads CSV from standard input) and writes CSV to standard output, or to ``--out`` (Parquet
when that name ends in .parquet). Mistakes in the input or options are reported on standard
error, without a traceback, with exit status 2; the engine's messages about options name
them as this CLI spells them (``--fix-after-n-points``, not ``fix_after_n_points``).
docs/inequalities.md has worked examples.
"""

import argparse
import io
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from inequalities.errors import InputError

USAGE_ERROR = 2
VALUE_TYPES = {"0": 0, "1": 1, "2": 2, "other": 0, "rate": 1, "proportion": 2}


class CliError(Exception):
    """A user mistake found by the CLI itself (exit status 2)."""


class Parser(argparse.ArgumentParser):
    """argparse with usage mistakes reported on one line, like every other error.

    ``inequalities proportion: error: argument --multiplier: invalid float value: 'abc'
    (see inequalities proportion --help)`` rather than a usage block and the message.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# --- reading and writing ------------------------------------------------------------------


def is_parquet(name: str) -> bool:
    return Path(name).suffix.lower() in (".parquet", ".pq")


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SAVE_AS_CSV = "save it from Excel as 'CSV UTF-8 (Comma delimited)' and give that file"
SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "bars"}


def _sniffed(head: bytes) -> str | None:
    """What the first bytes of a file say it is: 'parquet', 'workbook', 'utf16' or None."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # xlsx/ods (zip), xls (OLE)
        return "workbook"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    return None


def check_format(name: str, head: bytes, what: str = "Input") -> None:
    """Refuse, saying how to put it right, a file that is not in the format its name says.

    The name says which format is read (``.parquet``: Parquet, anything else: CSV), so a
    Parquet file named ``.csv``, a workbook, or CSV named ``.parquet`` would otherwise fail
    with a parser's message about bytes.
    """
    shown = "Standard input" if name == "-" else f"{what} {name!r}"
    kind = _sniffed(head)
    suffix = Path(name).suffix.lower()
    if kind == "workbook" or suffix in WORKBOOK_SUFFIXES:
        raise CliError(f"{shown} is a spreadsheet workbook, not CSV or Parquet: {SAVE_AS_CSV}.")
    if name == "-":
        if kind == "parquet":
            raise CliError(
                "Standard input is Parquet, not CSV: give the file's name instead of '-'."
            )
    elif is_parquet(name):
        if kind != "parquet" and head:
            raise CliError(
                f"{shown} is not a Parquet file, though its name ends in {suffix}: "
                "if it is CSV, rename it to end in .csv."
            )
    elif kind == "parquet":
        raise CliError(
            f"{shown} is a Parquet file, but its name does not end in .parquet, so it would be "
            "read as CSV: rename it to end in .parquet."
        )
    if kind == "utf16":
        raise CliError(f"{shown} is UTF-16 text, not UTF-8: {SAVE_AS_CSV}.")


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(8)


def check_file_format(name: str, what: str) -> None:
    """check_format for a file the engine reads itself (the profile's extract and lookup);
    a missing file is left to the engine, which says so."""
    path = Path(name)
    if name != "-" and path.is_file():
        try:
            head = _head(path)
        except OSError:
            return  # the engine reports it
        check_format(name, head, what)


def _first_non_utf8_line(data: bytes) -> int:
    """The line (1 = the header) with the first bytes that are not UTF-8; 0 if none."""
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _not_utf8(shown: str, data: bytes) -> CliError:
    line = _first_non_utf8_line(data)
    where = f" (line {line}, counting the header as line 1)" if line else ""
    return CliError(
        f"{shown} is not UTF-8 text{where}: it was probably saved with another encoding; "
        f"{SAVE_AS_CSV}."
    )


def _one_column_hint(name: str, table: pd.DataFrame) -> None:
    """A table read as one column whose name holds ';' (or a tab, or '|') used another separator."""
    if table.shape[1] != 1:
        return
    header = str(table.columns[0])
    shown = "Standard input" if name == "-" else f"Input {name!r}"
    for separator, called in SEPARATORS.items():
        if separator in header:
            raise CliError(
                f"{shown} has one column, {header!r}: its values look separated by {called}, "
                f"not commas; {SAVE_AS_CSV}."
            )


def read_table(name: str) -> pd.DataFrame:
    """CSV or Parquet from a file, or CSV from standard input when ``name`` is '-'.

    Whole-number columns with blanks (or Parquet nulls) are read as nullable integers, so
    counts stay counts (``12``, not ``12.0``) through to the output. A table with no rows is
    a mistake: every subcommand needs at least one.
    """
    table = _read(name)
    if table.empty:
        raise CliError(f"Input {_shown(name)} has no rows (only a header).")
    return table


def _read(name: str) -> pd.DataFrame:
    try:
        if name == "-":
            return _read_stdin()
        path = Path(name)
        if not path.exists():
            raise CliError(f"Input file {name!r} does not exist.")
        if path.is_dir():
            raise CliError(f"Input {name!r} is a folder, not a file.")
        check_format(name, _head(path))
        if is_parquet(name):
            return _parquet_integers(pd.read_parquet(path), path)
        table = _integers_with_blanks(pd.read_csv(path), lambda: path)
        _one_column_hint(name, table)
        return table
    except CliError:
        raise
    except pd.errors.EmptyDataError:
        raise CliError(f"Input {_shown(name)} is empty: expected CSV with a header row.") from None
    except pd.errors.ParserError as error:
        raise CliError(f"Input {_shown(name)} is not readable CSV: {_first_line(error)}") from None
    except UnicodeDecodeError:
        raise _not_utf8(f"Input {name!r}", Path(name).read_bytes()) from None
    except OSError as error:
        raise CliError(f"Cannot read input {_shown(name)}: {error.strerror or error}.") from None
    except Exception as error:  # pyarrow's errors for files that are not Parquet
        if type(error).__module__.startswith("pyarrow"):
            raise CliError(
                f"Input {_shown(name)} is not readable Parquet: {_first_line(error)}"
            ) from None
        raise


def _read_stdin() -> pd.DataFrame:
    """CSV from standard input, read as bytes so that Parquet or a workbook is named as such."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    if not data.strip():
        raise CliError("Standard input is empty: expected CSV with a header row.")
    check_format("-", data[:8])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8("Standard input", data) from None
    table = pd.read_csv(io.StringIO(text))
    _one_column_hint("-", table)
    return _integers_with_blanks(table, lambda: io.StringIO(text))


def _integers_with_blanks(
    table: pd.DataFrame, source: Callable[[], io.StringIO | Path]
) -> pd.DataFrame:
    """Columns that pandas read as floats only because of blanks, as nullable integers.

    A column qualifies when every non-blank entry is written as a whole number ("12", not
    "12.0"): the text is read again, for those columns only, to tell the two apart.
    """
    candidates = [
        position
        for position, (_, column) in enumerate(table.items())
        if pd.api.types.is_float_dtype(column.dtype)
        and column.isna().any()
        and column.notna().any()
        and (column.dropna() % 1 == 0).all()
    ]
    if not candidates:
        return table
    # by position: pandas renames repeated header names ('a', 'a.1'), the file does not
    text = pd.read_csv(source(), usecols=candidates, dtype=str, header=None, skiprows=1)
    whole = [
        position
        for position in candidates
        if text[position].dropna().str.fullmatch(r"\s*[+-]?\d+\s*").all()
    ]
    if not whole:
        return table
    table = table.copy()
    for position in whole:
        table.isetitem(position, table.iloc[:, position].astype("Int64"))
    return table


def _parquet_integers(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Parquet integer columns with nulls (which pandas reads as floats) as nullable integers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    columns = [
        field.name
        for field in schema
        if pa.types.is_integer(field.type)
        and field.name in table.columns
        and pd.api.types.is_float_dtype(table[field.name].dtype)
    ]
    return table.astype(dict.fromkeys(columns, "Int64")) if columns else table


def _shown(name: str) -> str:
    return "on standard input" if name == "-" else repr(name)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def write_table(table: pd.DataFrame, out: str | None) -> None:
    """CSV to standard output, or to ``out`` (Parquet when it ends in .parquet)."""
    if out is None:
        table.to_csv(sys.stdout, index=False)
        return
    path = Path(out)
    if not path.parent.exists():
        raise CliError(f"Cannot write {out!r}: folder {str(path.parent)!r} does not exist.")
    try:
        if is_parquet(out):
            table.to_parquet(path, index=False)
        else:
            table.to_csv(path, index=False)
    except OSError as error:
        raise CliError(f"Cannot write {out!r}: {error.strerror or error}.") from None


# --- option helpers -----------------------------------------------------------------------


def columns_list(values: Sequence[str] | None) -> list[str]:
    """Repeatable options that also take comma lists: ['a,b', 'c'] -> ['a', 'b', 'c'].

    A column named twice counts once (``--group-by icb --group-by icb,sex``).
    """
    out: list[str] = []
    for value in values or []:
        out += [part.strip() for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(out))


def group_by(args: argparse.Namespace) -> list[str] | None:
    return columns_list(args.group_by) or None


def confidence(args: argparse.Namespace) -> tuple[float, ...]:
    return tuple(args.confidence)


def add_group_by(
    parser: argparse.ArgumentParser,
    effect: str = "one result per group",
    default: str = "the whole file is one group",
) -> None:
    parser.add_argument(
        "--group-by",
        action="append",
        metavar="COL",
        help=f"group column (repeat it, or give a comma list): {effect} (default: {default})",
    )


def add_confidence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confidence",
        nargs="+",
        type=float,
        default=[0.95, 0.998],
        metavar="LEVEL",
        help="one or two confidence levels, as fractions or percentages from 90%% to 100%%; "
        "a pair of limit columns for each (default: 0.95 0.998)",
    )


def add_multiplier(parser: argparse.ArgumentParser, default: float, what: str) -> None:
    parser.add_argument(
        "--multiplier",
        type=float,
        default=default,
        help=f"{what} (default: {default:g})",
    )


def column_option(parser: argparse.ArgumentParser, name: str, default: str, what: str) -> None:
    parser.add_argument(
        f"--{name.replace('_', '-')}",
        dest=name,
        default=default,
        metavar="COL",
        help=f"column of {what} (default: {default})",
    )


# --- subcommands --------------------------------------------------------------------------


def run_proportion(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import proportion

    return proportion(
        read_table(args.input),
        numerator=args.numerator,
        denominator=args.denominator,
        group_by=group_by(args),
        confidence=confidence(args),
        multiplier=args.multiplier,
    )


def run_rate(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import rate

    return rate(
        read_table(args.input),
        numerator=args.numerator,
        denominator=args.denominator,
        group_by=group_by(args),
        confidence=confidence(args),
        multiplier=args.multiplier,
    )


def run_mean(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import mean

    return mean(
        read_table(args.input),
        value=args.value,
        group_by=group_by(args),
        confidence=confidence(args),
    )


def run_dsr(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import dsr

    standard = args.standard
    if standard is None:
        standard = "column" if args.standard_population is not None else "esp2013"
    return dsr(
        read_table(args.input),
        numerator=args.numerator,
        denominator=args.denominator,
        age_band=args.age_band,
        standard="esp2013" if standard == "esp2013" else None,
        standard_population=args.standard_population or "standard_population",
        frequency=args.frequency,
        group_by=group_by(args),
        confidence=confidence(args),
        multiplier=args.multiplier,
    )


def run_isr(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import isr

    return isr(
        read_table(args.input),
        numerator=args.numerator,
        denominator=args.denominator,
        ref_numerator=args.ref_numerator,
        ref_denominator=args.ref_denominator,
        kind=args.kind,
        refvalue=args.refvalue,
        group_by=group_by(args),
        confidence=confidence(args),
        multiplier=args.multiplier,
    )


def run_quantile(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import quantile

    return quantile(
        read_table(args.input),
        value=args.value,
        quantiles=args.quantiles,
        invert=args.invert_column if args.invert_column else args.invert,
        group_by=group_by(args),
        column=args.column,
    )


def run_sii(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats.sii import sii

    return sii(
        read_table(args.input),
        quantile=args.quantile,
        population=args.population,
        value=args.value,
        lower95=args.lower95,
        upper95=args.upper95,
        se=args.se,
        value_type=VALUE_TYPES[args.value_type],
        transform=args.transform,
        draws=args.draws,
        seed=args.seed,
        confidence=confidence(args),
        multiplier=args.multiplier,
        reliability=args.reliability,
        group_by=group_by(args),
    )


def run_funnel(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.stats import funnel

    return funnel(
        read_table(args.input),
        kind=args.kind,
        numerator=args.numerator,
        denominator=args.denominator,
        expected=args.expected,
        rate=args.rate,
        rate_type=args.rate_type,
        multiplier=args.multiplier,
        years_of_data=args.years_of_data,
        group_by=group_by(args),
    )


def run_spc(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.spc import spc

    rebase: list[str] | str | None = args.rebase_column
    if args.rebase:
        if rebase is not None:
            raise CliError("Give --rebase dates or --rebase-column, not both.")
        rebase = columns_list(args.rebase)
    keys = group_by(args)
    result = spc(
        read_table(args.input),
        date=args.date,
        value=args.value,
        group_by=keys,
        improvement=args.improvement,
        target=args.target,
        rebase=rebase,
        fix_after_n_points=args.fix_after_n_points,
        screen_outliers=args.screen_outliers,
        trend_length=args.trend_length,
        shift_length=args.shift_length,
    )
    if args.charts:
        return result.charts
    # Per point, with the chart's icons repeated on each of its points (docs/inequalities.md).
    icons = result.charts[[*(keys or []), "variation_icon", "assurance_icon"]]
    if keys:
        return result.points.merge(icons, on=keys, how="left", validate="many_to_one")
    return result.points.assign(
        variation_icon=icons["variation_icon"].iloc[0],
        assurance_icon=icons["assurance_icon"].iloc[0],
    )


def run_disclose(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.disclosure import disclose

    counts = columns_list(args.counts)
    if not counts:
        raise CliError("Name the count columns to protect with --counts COL[,COL...].")
    rounding = _rounding(args.rounding)
    return disclose(
        read_table(args.input),
        counts=counts,
        threshold=args.threshold,
        rounding=rounding,
        dimensions=columns_list(args.dimensions) or None,
        total_label=args.total_label,
        method=args.method,
        zero_is_safe=not args.hide_zeros,
    )


def _rounding(text: str) -> int | None:
    """--rounding: a base of 1 or more, or 'none' (the engine's None, hence checked here)."""
    if text.strip().lower() == "none":
        return None
    try:
        base = int(text)
    except ValueError:
        base = 0
    if base < 1:
        raise CliError(f"--rounding must be a whole number of 1 or more, or 'none', not {text!r}.")
    return base


def run_profile(args: argparse.Namespace) -> pd.DataFrame | None:
    from inequalities import profile as profiles

    spec = profiles.load_spec(Path(args.spec))
    check_file_format(args.input, "The extract file")
    if args.lookup is not None:
        check_file_format(args.lookup, "The lookup file")
    extract = read_table(args.input) if args.input == "-" else args.input
    lookup: str | pd.DataFrame | None = args.lookup
    if args.lookup == "-" and args.input == "-":
        raise CliError("Only one of the extract and the lookup can come from standard input.")
    if args.lookup == "-":
        lookup = read_table("-")
    if args.sql_only:
        from inequalities.profile.expressions import DIALECTS

        run = profiles.profile_sql(
            spec,
            _columns_of(extract),
            _columns_of(lookup) if lookup is not None else None,
            DIALECTS[args.dialect],
        )
        sys.stdout.write(run + "\n")
        return None
    run = profiles.profile(spec, extract, lookup)
    count = run.unmatched_records
    if count:
        records = "1 record has" if count == 1 else f"{count:,} records have"
        print(
            f"note: {records} an LSOA that is not in the lookup: counted in England and "
            "under 'Not known' areas and deprivation.",
            file=sys.stderr,
        )
    if args.out_dir:
        for path in profiles.write_profile(run, args.out_dir):
            print(f"wrote {path}", file=sys.stderr)
        return None
    return run.table


def _columns_of(source: str | pd.DataFrame) -> dict[str, str]:
    """{column: DuckDB type} of a file or frame, without reading the whole of it."""
    import duckdb

    from inequalities.profile.engine import register, schema

    with duckdb.connect() as con:
        register(con, "source", source, "input")
        return schema(con, "source")


def run_lookup(args: argparse.Namespace) -> pd.DataFrame:
    from inequalities.profile.reference import build_lsoa11_lookup

    return build_lsoa11_lookup([Path(d) for d in args.reference_dir])


# --- the parser ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="inequalities",
        description="Health inequalities statistics on CSV or Parquet files "
        "(docs/inequalities.md).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, run: Callable, *, takes_input: bool = True):
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"Worked examples: docs/inequalities.md ({name}). A mistake in the input or "
            "the options is reported in one line on standard error, with exit status 2.",
        )
        if takes_input:
            sub.add_argument(
                "input",
                help="CSV file, or Parquet if its name ends in .parquet ('-': CSV on standard "
                "input)",
            )
        sub.add_argument(
            "--out",
            metavar="FILE",
            help="write the result to FILE: Parquet if its name ends in .parquet, otherwise "
            "CSV (default: CSV on standard output)",
        )
        sub.add_argument(
            "--digits",
            type=int,
            metavar="N",
            help="round decimal columns to N places (default: no rounding)",
        )
        sub.set_defaults(run=run, parser=sub)
        return sub

    sub = command("proportion", "Proportions with Wilson score limits.", run_proportion)
    column_option(sub, "numerator", "numerator", "numerators")
    column_option(sub, "denominator", "denominator", "denominators")
    (
        add_group_by(sub, "counts summed per group, one result per group", "one result per row"),
        add_confidence(sub),
    )
    add_multiplier(sub, 1, "scale of the value and limits: 1 for fractions, 100 for percentages")

    sub = command("rate", "Crude rates with exact Poisson / Byar's limits.", run_rate)
    column_option(sub, "numerator", "numerator", "event counts")
    column_option(sub, "denominator", "denominator", "populations")
    (
        add_group_by(sub, "counts summed per group, one result per group", "one result per row"),
        add_confidence(sub),
    )
    add_multiplier(sub, 100_000, "rate per this many people, e.g. 1000")

    sub = command("mean", "Means with Student's t limits.", run_mean)
    column_option(sub, "value", "value", "values")
    add_group_by(sub), add_confidence(sub)

    sub = command("dsr", "Directly age-standardised rates (Dobson limits).", run_dsr)
    column_option(sub, "numerator", "numerator", "event counts per age band")
    column_option(sub, "denominator", "denominator", "populations per age band")
    column_option(sub, "age_band", "age_band", "age bands (e.g. 0-4 ... 90+)")
    sub.add_argument(
        "--standard",
        choices=["esp2013", "column"],
        help="standard population: esp2013 (European Standard Population 2013, joined on "
        "the age band; the default) or column (given by --standard-population)",
    )
    sub.add_argument(
        "--standard-population",
        metavar="COL",
        help="column of standard populations (implies --standard column; default: "
        "standard_population with --standard column)",
    )
    sub.add_argument(
        "--frequency",
        metavar="COL",
        help="column of event frequencies, when a person can have several events (default: "
        "none, events are independent)",
    )
    add_group_by(sub), add_confidence(sub)
    add_multiplier(sub, 100_000, "rate per this many people")

    sub = command("isr", "Indirectly standardised ratios or rates.", run_isr)
    column_option(sub, "numerator", "numerator", "observed counts")
    column_option(sub, "denominator", "denominator", "local populations")
    column_option(sub, "ref_numerator", "ref_numerator", "reference counts")
    column_option(sub, "ref_denominator", "ref_denominator", "reference populations")
    sub.add_argument(
        "--kind",
        choices=["ratio", "rate"],
        default="ratio",
        help="ratio: observed / expected x --refvalue; rate: observed / expected x the "
        "reference rate (default: ratio)",
    )
    sub.add_argument(
        "--refvalue",
        type=float,
        default=1,
        help="scale of the ratio: 1, or 100 for SMR-style (default: 1)",
    )
    add_group_by(sub), add_confidence(sub)
    add_multiplier(sub, 100_000, "with --kind rate, rate per this many people")

    sub = command("quantile", "Deprivation quantiles (phe_quantile).", run_quantile)
    column_option(sub, "value", "value", "values to rank (e.g. IMD score)")
    sub.add_argument(
        "--quantiles",
        type=int,
        default=10,
        metavar="N",
        help="number of quantiles: 5 for quintiles, 10 for deciles (default: 10)",
    )
    sub.add_argument(
        "--invert",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="highest value in quantile 1, for IMD scores (default); --no-invert puts the "
        "lowest value in quantile 1, for IMD ranks",
    )
    sub.add_argument(
        "--invert-column",
        metavar="COL",
        help="column of true/false invert flags, one value per group (instead of --invert)",
    )
    sub.add_argument(
        "--column",
        default="quantile",
        metavar="NAME",
        help="name of the new column (default: quantile)",
    )
    add_group_by(sub, "quantiles assigned within each group")

    sub = command("sii", "Slope and relative index of inequality.", run_sii)
    column_option(sub, "quantile", "quantile", "quantile labels (1 = most deprived)")
    column_option(sub, "population", "population", "quantile populations")
    column_option(sub, "value", "value", "indicator values")
    column_option(sub, "lower95", "lower95", "95%% lower limits")
    column_option(sub, "upper95", "upper95", "95%% upper limits")
    sub.add_argument("--se", metavar="COL", help="column of standard errors (instead of limits)")
    sub.add_argument(
        "--value-type",
        choices=list(VALUE_TYPES),
        default="0",
        help="0/other, 1/rate (standard errors on the log scale), 2/proportion (values 0-1, "
        "logit scale) (default: 0)",
    )
    sub.add_argument(
        "--transform",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="fit on the log (rate) or logit (proportion) scale and transform back; needs "
        "--lower95/--upper95, not --se (default: no)",
    )
    sub.add_argument(
        "--draws",
        type=int,
        default=100_000,
        metavar="N",
        help="simulation draws for the limits, at least 1000 (default: 100000)",
    )
    sub.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="random seed: the same seed gives the same limits (default: none, so limits "
        "vary slightly between runs)",
    )
    sub.add_argument(
        "--reliability",
        action="store_true",
        help="repeat the simulation 10 times and add sii_mad and rii_mad, how much the limits vary",
    )
    add_group_by(sub), add_confidence(sub)
    add_multiplier(sub, 1, "scale of the SII: 100 for percentage points; negative flips its sign")

    sub = command("funnel", "Funnel-plot significance per record.", run_funnel)
    sub.add_argument(
        "--kind",
        choices=["proportion", "ratio", "rate"],
        default="proportion",
        help="proportion: numerator / denominator; ratio: observed / expected; rate: a "
        "column of rates (default: proportion)",
    )
    column_option(sub, "numerator", "numerator", "numerators / observed counts")
    column_option(sub, "denominator", "denominator", "denominators")
    sub.add_argument(
        "--expected",
        metavar="COL",
        help="with --kind ratio, column of expected counts (default: the --denominator column)",
    )
    sub.add_argument("--rate", metavar="COL", help="with --kind rate, column of rates")
    sub.add_argument(
        "--rate-type",
        choices=["crude", "dsr"],
        default="crude",
        help="with --kind rate, crude or directly standardised rates (default: crude)",
    )
    sub.add_argument(
        "--multiplier",
        type=float,
        help="scale of the values (default: 100 for proportion, 1 for ratio, 100000 for rate)",
    )
    sub.add_argument(
        "--years-of-data",
        type=float,
        default=1,
        metavar="YEARS",
        help="years the counts cover; the population axis is divided by it (default: 1)",
    )
    add_group_by(sub, "each record compared with its own group's average")

    sub = command("spc", "XmR statistical process control charts.", run_spc)
    column_option(sub, "date", "date", "dates (or period numbers)")
    column_option(sub, "value", "value", "values")
    sub.add_argument(
        "--improvement",
        choices=["increase", "decrease", "neutral"],
        default="increase",
        help="which direction is better (default: increase)",
    )
    sub.add_argument(
        "--target",
        type=float,
        help="target for the assurance icon (default: none, so no assurance icon)",
    )
    sub.add_argument(
        "--rebase",
        action="append",
        metavar="DATE",
        help="a date starting a new segment with its own limits (repeat, or a comma list; "
        "default: none)",
    )
    sub.add_argument(
        "--rebase-column",
        metavar="COL",
        help="true/false column, true on the first point of each new segment (instead of --rebase)",
    )
    sub.add_argument(
        "--fix-after-n-points",
        type=int,
        metavar="N",
        help="set each segment's limits from its first N points, N at least 12 (default: all "
        "points)",
    )
    sub.add_argument(
        "--screen-outliers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="leave moving ranges of 3.267 x their mean or more out of the limits, as "
        "NHSRplotthedots does (default: yes; the NHS England Excel tool does not)",
    )
    sub.add_argument(
        "--trend-length",
        type=int,
        default=7,
        metavar="N",
        help="points in a row, each higher (or lower), that make a trend (default: 7)",
    )
    sub.add_argument(
        "--shift-length",
        type=int,
        default=7,
        metavar="N",
        help="points in a row on one side of the mean that make a shift (default: 7)",
    )
    sub.add_argument(
        "--charts", action="store_true", help="one row per chart instead of one per point"
    )
    add_group_by(sub, "one chart per group", "one chart")

    sub = command("disclose", "Small-number suppression and rounding.", run_disclose)
    sub.add_argument(
        "--counts",
        action="append",
        metavar="COL",
        help="count column(s) to protect (repeat, or a comma list; required)",
    )
    sub.add_argument(
        "--threshold",
        type=int,
        default=7,
        metavar="N",
        help="hide counts from 1 to N (default: 7)",
    )
    sub.add_argument(
        "--rounding",
        default="5",
        metavar="BASE",
        help="round the counts not hidden to the nearest BASE, or 'none' (default: 5)",
    )
    sub.add_argument(
        "--dimensions",
        action="append",
        metavar="COL",
        help="dimension columns of a table with total rows (repeat, or a comma list): hides "
        "more cells so hidden ones cannot be worked out from the totals (default: none)",
    )
    sub.add_argument(
        "--total-label",
        default="Total",
        metavar="TEXT",
        help="the value marking total rows in the dimension columns (default: Total)",
    )
    sub.add_argument(
        "--method",
        choices=["round", "midpoint6"],
        default="round",
        help="round: hide small counts, round the rest; midpoint6: midpoint-6 rounding "
        "(default: round)",
    )
    sub.add_argument(
        "--hide-zeros", action="store_true", help="treat zeros as disclosive (default: no)"
    )

    sub = command("profile", "Record-level profile from a YAML spec.", run_profile)
    sub.add_argument("--spec", required=True, metavar="YAML", help="the profile spec")
    sub.add_argument(
        "--lookup",
        metavar="FILE",
        help="LSOA lookup, one row per LSOA with its IMD decile and areas, CSV or Parquet "
        "(default: none; the extract then needs the columns the spec uses)",
    )
    sub.add_argument(
        "--out-dir", metavar="DIR", help="write profile.csv, profile.parquet and profile.sql here"
    )
    sub.add_argument(
        "--sql-only", action="store_true", help="print the counting SQL instead of running it"
    )
    sub.add_argument(
        "--dialect",
        choices=["ansi", "duckdb", "spark", "databricks"],
        default="ansi",
        help="identifier quoting for --sql-only (default: ansi)",
    )

    sub = command(
        "lookup",
        "Build the LSOA 2011 deprivation/geography lookup.",
        run_lookup,
        takes_input=False,
    )
    sub.add_argument(
        "--reference-dir",
        action="append",
        metavar="DIR",
        default=None,
        help="folder of reference files; repeat for several (default: data/reference)",
    )
    return parser


def option_name(parser: argparse.ArgumentParser, keyword: str) -> str:
    """The subcommand's option for an engine keyword argument: 'fix_after_n_points' ->
    '--fix-after-n-points' (the options' dest names are the engine's keywords)."""
    for action in parser._actions:  # argparse has no public list of a parser's options
        if action.dest == keyword and action.option_strings:
            return action.option_strings[0]
    return keyword  # not an option of this subcommand (the CLI does not set it)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # reported by the subcommand's parser, which names the subcommand
            args.parser.error(f"unrecognized arguments: {' '.join(extra)}")
        if args.digits is not None and args.digits < 0:
            args.parser.error(f"argument --digits: must be 0 or more, not {args.digits}")
        if args.out is not None and Path(args.out).suffix.lower() in WORKBOOK_SUFFIXES:
            args.parser.error(
                f"argument --out: {args.out!r} would be CSV under a workbook's name; "
                "name it .csv (Excel opens it) or .parquet"
            )
    except SystemExit as stop:  # usage errors (status 2, message printed) and --help (0)
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    if getattr(args, "reference_dir", "unset") is None:
        args.reference_dir = ["data/reference"]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = args.run(args)
        for warning in caught:  # the methods' warnings, not libraries' deprecation notices
            if issubclass(warning.category, UserWarning):
                print(f"warning: {warning.message}", file=sys.stderr)
        if table is not None:
            if args.digits is not None:
                decimals = table.select_dtypes("floating").columns
                table = table.assign(**{c: table[c].round(args.digits) for c in decimals})
            write_table(table, args.out)
    except InputError as error:
        message = error.worded(lambda keyword: option_name(args.parser, keyword))
        print(f"inequalities {args.command}: error: {message}", file=sys.stderr)
        return USAGE_ERROR
    except CliError as error:
        print(f"inequalities {args.command}: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
