"""Tables shown on the dashboards, and the same tables as CSV and XLSX downloads.

A page builds ``Table`` objects once; the template renders them with outcomes/_table.html
and the export views write exactly the same cells, so a download always matches the page.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from django.http import HttpResponse
from openpyxl import Workbook


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = False
    digits: int | None = 1  # None: as recorded (38 stays 38, 38.5 stays 38.5)


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    links: dict[int, str] = field(default_factory=dict)  # row index -> drill-down URL

    def cell(self, row: dict, column: Column):
        value = row.get(column.key)
        if hasattr(value, "icon_html"):  # an icon beside its words (core20.outcomes.mdc.Shown)
            return str(value)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if column.numeric and isinstance(value, int | float) and not isinstance(value, bool):
            if column.digits is None:
                return round(value) if float(value).is_integer() else round(float(value), 2)
            return round(float(value), column.digits) if column.digits else round(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return value

    def display_rows(self) -> list[dict]:
        """Rows for the template: [{"cells": [(label, text, numeric, icon)], "link": url}]
        (icon: inline SVG shown before the text, or "")."""
        out = []
        for i, row in enumerate(self.rows):
            cells = []
            for column in self.columns:
                value = self.cell(row, column)
                if value is None:
                    text = "–"
                elif column.numeric and isinstance(value, float) and column.digits is None:
                    text = f"{value:,.2f}".rstrip("0").rstrip(".")
                elif column.numeric and isinstance(value, float):
                    text = f"{value:,.{column.digits}f}"
                elif column.numeric and isinstance(value, int):
                    text = f"{value:,}"
                else:
                    text = str(value)
                icon = getattr(row.get(column.key), "icon_html", "")
                cells.append((column.label, text, column.numeric, icon))
            out.append({"cells": cells, "link": self.links.get(i, "")})
        return out

    def matrix(self) -> list[list]:
        return [[c.label for c in self.columns]] + [
            [self.cell(row, c) for c in self.columns] for row in self.rows
        ]


def _safe(value):
    """Stop spreadsheet formula injection: text starting =, +, - or @ gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_response(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table.matrix():
        writer.writerow(["" if v is None else _safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    for row in table.matrix():
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
