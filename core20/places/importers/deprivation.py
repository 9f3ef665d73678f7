"""The English Indices of Deprivation, per LSOA: the official MHCLG files of IoD 2019
(Files 1, 2, 5, 6 and 7) and IoD 2025 (File 7), and the humaniverse/IMD conversion of the
IoD 2025 File 7 that the product ships.

Headers are matched by prefix: some published headers are truncated ("… 10% of LSOA"), and
the denominators' headers name their mid-year. Each file sets only the values it has, so
Files 2 and 6 together fill the ranks, deciles and denominators of one edition's rows.
"""

from __future__ import annotations

from core20.places.importers.base import (
    LAD_CODE,
    LSOA_CODE,
    Col,
    Importer,
    ImportResult,
    Layout,
    sync,
)
from core20.places.importers.common import ensure_lads, ensure_lsoas, year_in_header
from core20.places.models import (
    INDICES,
    POPULATION_FIELDS,
    DecileMethod,
    Deprivation,
    Edition,
)

# Official header prefixes, in File 7 order.
INDEX_LABELS = dict(INDICES)
DOMAINS = [
    "imd",
    "income",
    "employment",
    "education",
    "health",
    "crime",
    "barriers",
    "living_environment",
]
SUPPLEMENTARY = [
    "idaci",
    "idaopi",
    "cyp",
    "adult_skills",
    "geographical_barriers",
    "wider_barriers",
    "indoors",
    "outdoors",
]
POPULATION_PREFIXES = {
    "population_total": "Total population",
    "population_0_15": "Dependent Children aged 0-15",
    "population_16_59": "Population aged 16-59",
    "population_60_plus": "Older population aged 60 and over",
    "population_working_age": "Working age population",
}


def _keys(vintage: int) -> list[Col]:
    year = "2011" if vintage == 2011 else "2021"
    return [
        Col("lsoa", (f"LSOA code ({year})",)),
        Col("lsoa_name", (f"LSOA name ({year})",), required=False),
        Col("lad", ("Local Authority District code",), prefix=True, required=False),
        Col("lad_name", ("Local Authority District name",), prefix=True, required=False),
    ]


def _official(indices: list[str], parts: tuple[str, ...]) -> list[Col]:
    cols = []
    for index in indices:
        label = INDEX_LABELS[index]
        for part in parts:
            cols.append(Col(f"{index}_{part}", (f"{label} {part.title()}",), prefix=True))
    return cols


def _population() -> list[Col]:
    return [Col(key, (prefix,), prefix=True) for key, prefix in POPULATION_PREFIXES.items()]


def _official_layout(key, label, edition, vintage, columns):
    return Layout(key, label, _keys(vintage) + columns, facts={"edition": edition})


# The humaniverse/IMD package's names for the IoD 2025 File 7 (its data/imd2025_england_lsoa21).
HUMANIVERSE_NAMES = {
    "imd": "IMD",
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "barriers": "Housing_and_Services",
    "living_environment": "Environment",
}

LAYOUTS = [
    _official_layout(
        "iod2019_file1",
        "IoD 2019 File 1 (IMD ranks and deciles)",
        "imd2019",
        2011,
        _official(["imd"], ("rank", "decile")),
    ),
    _official_layout(
        "iod2019_file2",
        "IoD 2019 File 2 (domain ranks and deciles)",
        "imd2019",
        2011,
        _official(DOMAINS, ("rank", "decile")),
    ),
    _official_layout(
        "iod2019_file5",
        "IoD 2019 File 5 (scores)",
        "imd2019",
        2011,
        _official(DOMAINS + SUPPLEMENTARY, ("score",)),
    ),
    _official_layout(
        "iod2019_file6",
        "IoD 2019 File 6 (population denominators)",
        "imd2019",
        2011,
        _population(),
    ),
    _official_layout(
        "iod2019_file7",
        "IoD 2019 File 7 (all ranks, scores, deciles and denominators)",
        "imd2019",
        2011,
        _official(DOMAINS + SUPPLEMENTARY, ("score", "rank", "decile")) + _population(),
    ),
    _official_layout(
        "iod2025_file7",
        "IoD 2025 File 7 (all ranks, scores, deciles and denominators)",
        "iod2025",
        2021,
        _official(DOMAINS + SUPPLEMENTARY, ("score", "rank", "decile")) + _population(),
    ),
    Layout(
        "iod2025_humaniverse",
        "IoD 2025 LSOA file as converted by humaniverse/IMD (lsoa21_code, IMD_decile, …)",
        [Col("lsoa", ("lsoa21_code",))]
        + [
            Col(f"{index}_{part}", (f"{name}_{part}",))
            for part in ("decile", "rank", "score")
            for index, name in HUMANIVERSE_NAMES.items()
        ],
        facts={"edition": "iod2025"},
    ),
]


class DeprivationImporter(Importer):
    kind = "deprivation"
    label = "Indices of Deprivation (LSOA)"
    description = (
        "MHCLG English Indices of Deprivation: IoD 2019 Files 1, 2, 5, 6 or 7 (LSOA 2011) or "
        "IoD 2025 File 7 (LSOA 2021), CSV or Excel."
    )
    layouts = LAYOUTS

    def prepare(self) -> None:
        self.edition = Edition.objects.by_code(self.fact("edition"))
        limit = self.edition.lsoa_count or None
        codes, _ = self.code("lsoa", LSOA_CODE)
        self.unique("lsoa", codes)
        self.codes = codes
        self.names = self.text("lsoa_name")
        self.lads = None
        if self.has("lad"):
            self.lads, _ = self.code("lad", LAD_CODE)
            self.lad_names = self.text("lad_name")
            self.lad_year = year_in_header(self.header("lad")) or self.edition.year
        self.values: dict[str, list] = {}
        value_keys = [c.key for c in self.layout.columns if c.key in self.columns]
        self.value_fields = [
            k for k in value_keys if k not in ("lsoa", "lsoa_name", "lad", "lad_name")
        ]
        for i, key in enumerate(self.value_fields):
            self.progress(
                int(len(self.frame) * i / max(1, len(self.value_fields))),
                len(self.frame),
                "Checking rows",
            )
            if key.endswith("_score"):
                self.values[key] = list(self.decimals(key))
            elif key.endswith("_decile"):
                self.values[key] = list(self.integers(key, low=1, high=10))
            elif key.endswith("_rank"):
                self.values[key] = list(self.integers(key, low=1, high=limit))
            else:
                self.values[key] = list(self.integers(key, low=0))

    def write(self) -> ImportResult:
        vintage = self.edition.lsoa_vintage
        details = {}
        lad_pks = {}
        if self.lads is not None:
            names = dict(zip(self.lads, self.lad_names, strict=True))
            details["Local authority districts"], lad_pks = ensure_lads(names, self.lad_year)
        lsoa_rows = {}
        lads = list(self.lads) if self.lads is not None else None
        for i, (code, name) in enumerate(zip(self.codes, self.names, strict=True)):
            values = {}
            if name:
                values["name"] = name
            if lads is not None:
                values["lad_id"] = lad_pks.get(lads[i])
            lsoa_rows[code] = values
        details["LSOAs"], lsoa_pks = ensure_lsoas(vintage, lsoa_rows)
        rows = {}
        for i, code in enumerate(self.codes):
            rows[(lsoa_pks[code],)] = {f: self.values[f][i] for f in self.value_fields}
        counts, _ = sync(
            Deprivation,
            ("lsoa_id",),
            rows,
            self.value_fields,
            queryset=Deprivation.objects.filter(
                edition=self.edition,
                decile_method=DecileMethod.NATIONAL,
                ranking_area_code="",
            ),
            create_with={
                "edition": self.edition,
                "decile_method": DecileMethod.NATIONAL,
                "ranking_area_code": "",
            },
        )
        populated = [f for f, _ in POPULATION_FIELDS if f in self.value_fields]
        notes = [f"Edition: {self.edition.name}; deciles: {DecileMethod.NATIONAL.label}."]
        if populated:
            notes.append(f"Population denominators: {self.edition.denominators_note}.")
        return self.result(
            f"{self.edition.short_name} LSOA values", counts, details=details, notes=notes
        )
