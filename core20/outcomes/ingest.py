"""Reading indicator data files: the Fingertips export layout as it is, a plain aggregated
table, or a record-level extract run through the engine's profile (``inequalities.profile``).

Every problem is reported with the file, row and column; one problem means nothing is
stored. Values and 95% limits are computed with ``inequalities.stats`` from the numerator and
denominator according to the indicator's type (Wilson for proportions, exact Poisson/Byar's
for crude rates and counts). Standardised rates and ratios cannot be recomputed from an
aggregate numerator and denominator, so their value and limits are taken from the file.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core20.outcomes.models import Indicator
from core20.outcomes.periods import period_start
from inequalities import stats
from inequalities.stats.limits import poisson_count_limits

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000

FINGERTIPS_COLUMNS = (
    "Indicator ID",
    "Area Code",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
)
SIMPLE_REQUIRED = ("area_code", "period", "numerator", "denominator")
SIMPLE_OPTIONAL = ("area_name", "breakdown_type", "breakdown", "value", "lower95", "upper95")

_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # the line in the file (the header is line 1); 0 for the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


@dataclass
class Parsed:
    format: str
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def deprivation_quantile(breakdown_type: str, label: str) -> tuple[int, int] | None:
    """(quantile, number of quantiles) for an IMD decile or quintile breakdown, 1 = most
    deprived: "Most deprived decile (IMD2019)" → (1, 10), "Second least deprived quintile"
    → (4, 5), "IMD decile 3" → (3, 10). None for any other breakdown."""
    text = f"{breakdown_type} {label}".lower()
    if "decile" in text:
        count = 10
    elif "quintile" in text:
        count = 5
    else:
        return None
    words = label.lower()
    if m := re.search(r"\b(\d{1,2})\b", re.sub(r"\(.*?\)|imd\s*\d{4}|\d{4}", "", words)):
        number = int(m[1])
        return (number, count) if 1 <= number <= count else None
    ordinal = next((n for w, n in _ORDINALS.items() if re.search(rf"\b{w}\b", words)), None)
    if "least" in words or "less deprived" in words:
        return (count + 1 - (ordinal if ordinal and ordinal > 1 else 1), count)
    if "deprived" in words:
        return (ordinal or 1, count)
    return None


def _number(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if text == "":
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _read(name: str, data: bytes) -> tuple[list[str], list[list[str]]] | RowError:
    if not data.strip():
        return RowError(name, 0, "", "The file is empty")
    if len(data) > MAX_BYTES:
        return RowError(name, 0, "", "The file is larger than 20 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return RowError(name, 0, "", "The file must be a CSV file saved as UTF-8")
    if "\x00" in text:
        return RowError(name, 0, "", "The file must be a CSV file, not a spreadsheet or binary")
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return RowError(name, reader.line_num, "", f"The file is not valid CSV ({exc})")
    header = [h.strip() for h in rows[0]] if rows else []
    return header, rows[1:]


def detect_format(header: list[str]) -> str | None:
    if all(c in header for c in FINGERTIPS_COLUMNS):
        return "fingertips"
    lowered = [h.lower() for h in header]
    if all(c in lowered for c in SIMPLE_REQUIRED):
        return "simple"
    return None


def header_problem(header: list[str]) -> str:
    """What is wrong with a header that is neither layout: the columns missing from the
    layout it is nearer to (the one with more of its columns present), and the columns the
    file has, so that a misnamed column ("area" for "area_code") can be spotted."""
    lowered = {h.lower() for h in header}
    simple_missing = [c for c in SIMPLE_REQUIRED if c not in lowered]
    fingertips_missing = [c for c in FINGERTIPS_COLUMNS if c not in header]
    simple_found = len(SIMPLE_REQUIRED) - len(simple_missing)
    fingertips_found = len(FINGERTIPS_COLUMNS) - len(fingertips_missing)
    has = ", ".join(f"“{h}”" for h in header if h) or "no column names"
    if fingertips_found > simple_found:
        missing = ", ".join(f"“{c}”" for c in fingertips_missing)
        layout = "a Fingertips export"
    else:
        missing = ", ".join(f"“{c}”" for c in simple_missing)
        layout = "the aggregated table (area_code, period, numerator, denominator)"
    plural = "s" if ", " in missing else ""
    return (
        f"The header is missing the column{plural} {missing} needed for {layout}. "
        f"The file's columns are: {has}"
    )


def parse_table(name: str, data: bytes, indicator: Indicator) -> Parsed:
    """Parse a Fingertips export or a plain aggregated table into rows with values and
    limits. The format is recognised from the header."""
    read = _read(name, data)
    if isinstance(read, RowError):
        return Parsed("", errors=[read])
    header, body = read
    kind = detect_format(header)
    if kind is None:
        return Parsed("", errors=[RowError(name, 1, "", header_problem(header))])
    parsed = Parsed(kind)
    if not body:
        parsed.errors.append(RowError(name, 0, "", "The file has a header but no rows"))
        return parsed
    if len(body) > MAX_ROWS:
        parsed.errors.append(RowError(name, 0, "", f"The file has more than {MAX_ROWS:,} rows"))
        return parsed
    index = {h: i for i, h in enumerate(header)}
    if kind == "simple":
        index = {h.lower(): i for i, h in enumerate(header)}
    seen: dict[tuple, int] = {}
    for line, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(column: str, cells=cells) -> str:
            i = index.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row = _fingertips_row(cell, indicator) if kind == "fingertips" else _simple_row(cell)
        if row is None:  # a Fingertips row for another indicator or sex/age: skipped
            continue
        errors = _complete(row, indicator, name, line, kind)
        if errors:
            parsed.errors.extend(errors)
            if len(parsed.errors) >= 50:
                break
            continue
        key = (row["area_code"], row["period"], row["breakdown_type"], row["breakdown"])
        if key in seen:
            parsed.errors.append(
                RowError(
                    name,
                    line,
                    "",
                    f"Repeats row {seen[key]} (the same area, period and breakdown)",
                )
            )
            continue
        seen[key] = line
        row["line"] = line
        parsed.rows.append(row)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(name, 0, "", "No rows in the file are for this indicator"))
    if kind == "fingertips":
        _one_sex_is_the_total(parsed.rows)
    if not parsed.errors:
        compute_limits(parsed.rows, indicator)
    return parsed


def _one_sex_is_the_total(rows: list[dict]) -> None:
    """An indicator counted for one sex only (cervical and breast screening, maternity) has
    no "Persons" rows in its Fingertips export: every row says "Female". There, the rows
    without a category are the totals (for the area, England's figure...), not a breakdown
    by sex. Where the file has rows for more than one sex, or any "Persons" row, a row for
    one sex stays a breakdown."""
    sexes = {row["breakdown"] for row in rows if row["breakdown_type"] == "Sex"}
    if len(sexes) != 1 or any(row["breakdown_type"] == "Total" for row in rows):
        return
    for row in rows:
        if row["breakdown_type"] == "Sex":
            row["breakdown_type"] = "Total"


COLUMN_NAMES = {
    "fingertips": {
        "area_code": "Area Code",
        "period": "Time period",
        "numerator": "Count",
        "denominator": "Denominator",
        "value": "Value",
        "lower95": "Lower CI 95.0 limit",
        "upper95": "Upper CI 95.0 limit",
    },
    "simple": {k: k for k in (*SIMPLE_REQUIRED, *SIMPLE_OPTIONAL)},
}


def _fingertips_row(cell, indicator: Indicator) -> dict | None:
    if indicator.fingertips_id and cell("Indicator ID") not in ("", indicator.fingertips_id):
        return None
    category_type = cell("Category Type")
    breakdown_type, breakdown = category_type, cell("Category")
    if not category_type:
        sex, age = cell("Sex"), cell("Age")
        breakdown_type = "Total"
        breakdown = ""
        if sex and sex.lower() != "persons":
            breakdown_type, breakdown = "Sex", sex
        elif age:
            breakdown = age
    return {
        "area_code": cell("Area Code"),
        "area_name": cell("Area Name"),
        "period": cell("Time period"),
        "breakdown_type": breakdown_type,
        "breakdown": breakdown,
        "_numerator": cell("Count"),
        "_denominator": cell("Denominator"),
        "_value": cell("Value"),
        "_lower95": cell("Lower CI 95.0 limit"),
        "_upper95": cell("Upper CI 95.0 limit"),
    }


def _simple_row(cell) -> dict:
    return {
        "area_code": cell("area_code"),
        "area_name": cell("area_name"),
        "period": cell("period"),
        "breakdown_type": cell("breakdown_type") or ("Total" if not cell("breakdown") else ""),
        "breakdown": cell("breakdown"),
        "_numerator": cell("numerator"),
        "_denominator": cell("denominator"),
        "_value": cell("value"),
        "_lower95": cell("lower95"),
        "_upper95": cell("upper95"),
    }


def _complete(row: dict, indicator: Indicator, name: str, line: int, kind: str) -> list[RowError]:
    columns = COLUMN_NAMES[kind]
    errors = []
    if not re.fullmatch(r"[A-Za-z0-9]{3,12}", row["area_code"]):
        errors.append(
            RowError(name, line, columns["area_code"], "Enter an area code such as E01012345")
        )
    row["area_code"] = row["area_code"].upper()
    try:
        row["period_start"] = period_start(row["period"])
    except ValueError as exc:
        errors.append(
            RowError(
                name,
                line,
                columns["period"],
                str(exc) if row["period"] else "Enter the time period",
            )
        )
    for key in ("numerator", "denominator", "value", "lower95", "upper95"):
        try:
            row[key] = _number(row.pop(f"_{key}"))
        except ValueError:
            errors.append(RowError(name, line, columns[key], "Must be a number"))
            row[key] = None
    if errors:
        return errors
    x, n = row["numerator"], row["denominator"]
    needs_counts = indicator.type in (Indicator.Type.PROPORTION, Indicator.Type.RATE)
    if needs_counts and (x is None or n is None):
        column = columns["numerator"] if x is None else columns["denominator"]
        errors.append(
            RowError(
                name,
                line,
                column,
                "Enter a number (it is needed to work out the value and its confidence limits)",
            )
        )
    if x is not None and x < 0:
        errors.append(RowError(name, line, columns["numerator"], "Must not be negative"))
    if n is not None and n <= 0:
        errors.append(RowError(name, line, columns["denominator"], "Must be more than 0"))
    if (
        indicator.type == Indicator.Type.PROPORTION
        and x is not None
        and n is not None
        and x > n
        and not errors
    ):
        errors.append(RowError(name, line, columns["numerator"], "Is more than the denominator"))
    if not needs_counts and indicator.type != Indicator.Type.COUNT and row["value"] is None:
        errors.append(
            RowError(
                name,
                line,
                columns["value"],
                "Enter the value (standardised rates and ratios are taken as given)",
            )
        )
    if indicator.type == Indicator.Type.COUNT and x is None:
        errors.append(RowError(name, line, columns["numerator"], "Enter the count"))
    quantile = deprivation_quantile(row["breakdown_type"], row["breakdown"])
    row["quantile"], row["quantiles"] = quantile if quantile else (None, None)
    return errors


def compute_limits(rows: list[dict], indicator: Indicator) -> None:
    """Set value, lower95, upper95 and method on every row (vectorised per indicator type)."""
    if not rows:
        return
    kind = indicator.type
    if kind in (Indicator.Type.PROPORTION, Indicator.Type.RATE):
        frame = pd.DataFrame(
            {
                "numerator": [r["numerator"] for r in rows],
                "denominator": [r["denominator"] for r in rows],
            }
        )
        function = stats.proportion if kind == Indicator.Type.PROPORTION else stats.rate
        result = function(frame, confidence=0.95, multiplier=indicator.multiplier)
        for row, (_, out) in zip(rows, result.iterrows(), strict=True):
            row["value"] = float(out["value"])
            row["lower95"] = float(out["lower95"])
            row["upper95"] = float(out["upper95"])
            row["method"] = str(out["method"])
    elif kind == Indicator.Type.COUNT:
        counts = np.array([r["numerator"] for r in rows], dtype=float)
        lower, upper = poisson_count_limits(counts, 0.95)
        for row, lo, hi in zip(rows, lower, upper, strict=True):
            row["value"] = row["numerator"]
            row["lower95"], row["upper95"] = float(lo), float(hi)
            row["method"] = "Poisson"
    else:
        for row in rows:
            row["method"] = "As supplied"


def parse_extract(name: str, data: bytes, indicator: Indicator, period: str) -> Parsed:
    """A record-level extract (one row per person, with an ``lsoa`` column and the columns
    the indicator's extract conditions use) counted per LSOA by the engine's profile
    (``inequalities.profile``). Only the counts are kept; the records are never stored."""
    from inequalities.errors import InputError
    from inequalities.profile import SpecError, profile

    parsed = Parsed("extract")
    if not indicator.extract_numerator:
        parsed.errors.append(
            RowError(name, 0, "", f"{indicator.name} has no extract conditions in the catalogue")
        )
        return parsed
    if indicator.type not in (Indicator.Type.PROPORTION, Indicator.Type.RATE):
        parsed.errors.append(RowError(name, 0, "", "Extracts are for proportions and rates"))
        return parsed
    try:
        start = period_start(period)
    except ValueError as exc:
        parsed.errors.append(RowError(name, 0, "period", str(exc)))
        return parsed
    if not data.strip():
        parsed.errors.append(RowError(name, 0, "", "The file is empty"))
        return parsed
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype={"lsoa": str})
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        parsed.errors.append(RowError(name, 0, "", f"The file is not a readable CSV ({exc})"))
        return parsed
    spec = {
        "indicators": [
            {
                "id": indicator.code,
                "name": indicator.name,
                "type": indicator.type,
                "numerator": indicator.extract_numerator,
                **(
                    {"denominator": indicator.extract_denominator}
                    if indicator.extract_denominator
                    else {}
                ),
            }
        ],
        "areas": [{"level": "lsoa", "column": "lsoa"}],
        "breakdowns": ["total"],
    }
    try:
        table = profile(spec, frame).table
    except (InputError, SpecError) as exc:
        parsed.errors.append(RowError(name, 0, "", str(exc)))
        return parsed
    table = table[table["denominator"] > 0]
    for record in table.to_dict("records"):
        parsed.rows.append(
            {
                "area_code": str(record["area_code"]).upper(),
                "area_name": "",
                "period": period,
                "period_start": start,
                "breakdown_type": "Total",
                "breakdown": "",
                "quantile": None,
                "quantiles": None,
                "numerator": float(record["numerator"]),
                "denominator": float(record["denominator"]),
            }
        )
    if not parsed.rows:
        parsed.errors.append(RowError(name, 0, "", "No records counted in any LSOA"))
        return parsed
    compute_limits(parsed.rows, indicator)
    return parsed
