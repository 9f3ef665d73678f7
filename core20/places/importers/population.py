"""ONS small-area population estimates (SAPE): persons by single year of age per LSOA."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core20.places.importers.base import (
    LSOA_CODE,
    WELSH,
    Col,
    Importer,
    ImportResult,
    Layout,
    sync,
)
from core20.places.importers.common import ensure_lsoas, year_in_header
from core20.places.models import PopulationEstimate

AGES = [str(a) for a in range(90)] + ["90+"]


def _age_columns() -> list[Col]:
    return [Col(f"age_{a}", (a,)) for a in AGES]


class PopulationImporter(Importer):
    kind = "population"
    label = "Population estimates (ONS, LSOA, single year of age)"
    description = (
        "ONS mid-year small-area population estimates for LSOAs: persons by single year of "
        "age 0 to 89 and 90+, with the total. The mid-year comes from the file name "
        "(…mid2020…) unless given."
    )
    layouts = [
        Layout(
            "humaniverse_sape",
            "LSOA population by single year of age (lsoa11_code, lsoa11_name, "
            "total_population, 0 … 90+)",
            [
                Col("lsoa", pattern=r"lsoa(11|21)_code"),
                Col("lsoa_name", pattern=r"lsoa(11|21)_name", required=False),
                Col("total", ("total_population",)),
                *_age_columns(),
            ],
        ),
        Layout(
            "ons_sape",
            "ONS SAPE persons sheet (LSOA Code, LSOA Name, All Ages, 0 … 90+)",
            [
                Col("lsoa", ("LSOA Code", "LSOA 2011 Code", "LSOA 2021 Code")),
                Col("lsoa_name", ("LSOA Name", "LSOA 2011 Name", "LSOA 2021 Name"), required=False),
                Col("total", ("All Ages", "Total")),
                *_age_columns(),
            ],
        ),
    ]

    def prepare(self) -> None:
        header = self.header("lsoa")
        self.vintage = int(self.fact("vintage") or 0) or (
            year_in_header(header) if re.search(r"(11|21)", header) else 2011
        )
        if self.vintage not in (2011, 2021):
            self.vintage = 2011
        year = self.fact("year")
        if not year:
            m = re.search(r"mid[-_ ]?(\d{4})", self.file, flags=re.IGNORECASE)
            year = int(m.group(1)) if m else None
        if not year:
            self.issues.add(None, None, "give the mid-year of the estimates (e.g. 2020)")
        self.year = int(year) if year else 0
        self.lsoas, welsh = self.code("lsoa", LSOA_CODE, skip=WELSH)
        self.keep_rows = self.skip_rows(welsh, "outside England")
        self.unique("lsoa", self.lsoas, rows=self.keep_rows)
        self.total = self.integers("total", low=0, rows=self.keep_rows)
        self.by_age = self.age_block()
        kept = self.keep_rows.tolist()
        for position, (index, total) in enumerate(self.total.items()):
            values = self.by_age[position]
            if not kept[position] or total is None or values is None:
                continue
            if sum(values) != total:
                self.issues.add(
                    self.row_number(index),
                    self.header("total"),
                    f"the ages add up to {sum(values):,}, not the total {total:,}",
                )

    def age_block(self) -> list[list[int] | None]:
        """The 91 age columns at once: [[count aged 0, …, 90+] or None where a value is bad]."""
        headers = [self.header(f"age_{a}") for a in AGES]
        block = self.frame[headers].to_numpy()
        try:  # the usual case: every cell a plain whole number
            numbers = block.astype(np.int64)
        except (TypeError, ValueError):
            text = np.char.replace(np.char.strip(block.astype(str)), ",", "")
            numbers = (
                pd.to_numeric(pd.Series(text.ravel()), errors="coerce")
                .to_numpy(dtype=float)
                .reshape(block.shape)
            )
            block = text
        else:
            if (numbers >= 0).all():
                return [list(r) for r in numbers.tolist()]
        good = ~np.isnan(numbers.astype(float)) & (numbers >= 0) & (numbers == np.round(numbers))
        kept = self.keep_rows.to_numpy()
        bad_rows, bad_cols = np.nonzero(~good & kept[:, None])
        for r, c in zip(bad_rows.tolist(), bad_cols.tolist(), strict=True):
            shown = str(block[r, c]).strip() or "(blank)"
            self.issues.add(
                self.row_number(self.frame.index[r]),
                headers[c],
                f"'{shown}' is not a whole number of at least 0",
            )
        whole = np.where(good, numbers, 0).astype(np.int64).tolist()
        ok = good.all(axis=1).tolist()
        return [values if fine else None for values, fine in zip(whole, ok, strict=True)]

    def write(self) -> ImportResult:
        kept = self.keep_rows
        names = self.text("lsoa_name")
        lsoa_rows = {
            code: ({"name": n} if n else {})
            for code, n in zip(self.lsoas[kept], names[kept], strict=True)
        }
        details = {}
        details[f"LSOAs ({self.vintage})"], lsoa_pks = ensure_lsoas(self.vintage, lsoa_rows)
        rows = {}
        source = re.sub(r"\.(csv|gz|xlsx)$", "", self.file)[:100]
        for code, keep_row, total, by_age in zip(
            self.lsoas.tolist(), kept.tolist(), self.total.tolist(), self.by_age, strict=True
        ):
            if keep_row:
                rows[(lsoa_pks[code],)] = {"total": total, "by_age": by_age, "source": source}
        counts, _ = sync(
            PopulationEstimate,
            ("lsoa_id",),
            rows,
            ["total", "by_age", "source"],
            queryset=PopulationEstimate.objects.filter(
                year=self.year, sex="persons", lsoa__vintage=self.vintage
            ),
            create_with={"year": self.year, "sex": "persons"},
        )
        total = sum(r["total"] for r in rows.values())
        notes = [f"Mid-{self.year} persons; England total {total:,}."]
        return self.result(
            f"mid-{self.year} LSOA population estimates", counts, details=details, notes=notes
        )
