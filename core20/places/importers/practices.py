"""GP practices from the ODS epraccur file (headerless, 27 columns), and practice → PCN
memberships from NHS Digital's practice mapping files."""

from __future__ import annotations

from datetime import date

from core20.places.importers.base import (
    ODS_CODE,
    PCN_CODE,
    Col,
    Counts,
    Importer,
    ImportResult,
    Layout,
    fast_insert,
    fast_update,
    keep,
    sync,
)
from core20.places.importers.postcodes import POSTCODE
from core20.places.models import (
    PCN,
    GPPractice,
    Postcode,
    PracticePCNMembership,
    display_postcode,
    normalise_postcode,
)


class PracticeImporter(Importer):
    kind = "practices"
    label = "GP practices (ODS epraccur)"
    description = (
        "The ODS epraccur file: GP practices and other prescribing settings (headerless, "
        "27 columns). Each practice's LSOA comes from its postcode where postcodes are loaded."
    )
    layouts = [
        Layout(
            "ods_epraccur",
            "ODS epraccur (headerless, 27 columns)",
            [
                Col("code", position=0),
                Col("name", position=1),
                Col("postcode", position=9),
                Col("opened", position=10),
                Col("closed", position=11),
                Col("status", position=12),
                Col("commissioner", position=14),
                Col("setting", position=25),
            ],
            header=False,
            width=27,
        )
    ]

    def header(self, key: str) -> str:
        col = next(c for c in self.layout.columns if c.key == key)
        names = {
            "code": "organisation code",
            "name": "name",
            "postcode": "postcode",
            "opened": "open date",
            "closed": "close date",
            "status": "status code",
            "commissioner": "commissioner",
            "setting": "prescribing setting",
        }
        return f"{col.position + 1} ({names[key]})"

    def prepare(self) -> None:
        self.codes, _ = self.code("code", ODS_CODE)
        self.unique("code", self.codes)
        keys = self.text("postcode").map(normalise_postcode)
        bad = ~keys.str.fullmatch(POSTCODE) & (keys != "")
        for index, value in self.text("postcode")[bad].items():
            self.issues.add(
                self.row_number(index), self.header("postcode"), f"'{value}' is not a postcode"
            )
        self.postcode_keys = keys
        status = self.text("status").str.upper()
        bad = ~status.isin([*GPPractice.Status.values, ""])
        for index, value in status[bad].items():
            self.issues.add(
                self.row_number(index),
                self.header("status"),
                f"'{value}' is not a status code (A, C, D or P)",
            )
        self.status = status
        self.setting = self.integers("setting", blank=True, low=0)
        self.opened = self.dates("opened", "%Y%m%d")
        self.closed = self.dates("closed", "%Y%m%d")

    def write(self) -> ImportResult:
        located = dict(
            Postcode.objects.exclude(lsoa11=None).values_list("code", "lsoa11_id").iterator()
        )
        rows = {}
        for code, name, key, status, setting, commissioner, opened, closed in zip(
            self.codes,
            self.text("name"),
            self.postcode_keys,
            self.status,
            self.setting,
            self.text("commissioner").str.upper(),
            self.opened,
            self.closed,
            strict=True,
        ):
            rows[(code,)] = {
                "name": name,
                "postcode": display_postcode(key) if key else "",
                "postcode_key": key,
                "status": status,
                "prescribing_setting": setting,
                "commissioner_code": commissioner,
                "opened_on": opened,
                "closed_on": closed,
                "lsoa_id": located.get(key),
            }
        fields = list(next(iter(rows.values())).keys()) if rows else []
        counts, _ = sync(GPPractice, ("ods_code",), rows, fields)
        gp = sum(1 for s in self.setting if s == GPPractice.GP_PRACTICE_SETTING)
        with_lsoa = sum(1 for r in rows.values() if r["lsoa_id"])
        notes = [
            f"{gp:,} are GP practices (prescribing setting 4).",
            f"{with_lsoa:,} have an LSOA from a loaded postcode.",
        ]
        return self.result("practices and other prescribing settings", counts, notes=notes)


class PracticePCNImporter(Importer):
    kind = "practice_pcns"
    label = "GP practice → PCN"
    description = (
        "Practice → PCN mappings: NHS Digital 'Patients registered at a GP practice' mapping "
        "(PRACTICE_CODE, PCN_CODE, PCN_NAME, EXTRACT_DATE) or the QOF NHS geographies mapping."
    )
    layouts = [
        Layout(
            "nhsd_practice_mapping",
            "NHS Digital practice mapping (PRACTICE_CODE, PCN_CODE, PCN_NAME, EXTRACT_DATE, …)",
            [
                Col("practice", ("PRACTICE_CODE",)),
                Col("practice_name", ("PRACTICE_NAME",), required=False),
                Col("postcode", ("PRACTICE_POSTCODE",), required=False),
                Col("pcn", ("PCN_CODE",)),
                Col("pcn_name", ("PCN_NAME",)),
                Col("extract_date", ("EXTRACT_DATE",)),
            ],
        ),
        Layout(
            "qof_practice_mapping",
            "QOF NHS geographies mapping (PRACTICE_CODE, PCN_ODS_CODE, PCN_NAME, …); give the "
            "date it takes effect",
            [
                Col("practice", ("PRACTICE_CODE",)),
                Col("practice_name", ("PRACTICE_NAME",), required=False),
                Col("pcn", ("PCN_ODS_CODE",)),
                Col("pcn_name", ("PCN_NAME",)),
            ],
        ),
    ]

    def prepare(self) -> None:
        self.practices, _ = self.code("practice", ODS_CODE)
        self.unique("practice", self.practices)
        pcns = self.text("pcn").str.upper()
        self.keep_rows = self.skip_rows(
            ~pcns.str.fullmatch(PCN_CODE) & pcns.isin(["", "U"]), "practice not in a PCN"
        )
        self.pcns, _ = self.code("pcn", PCN_CODE, rows=self.keep_rows)
        valid_from = self.fact("valid_from")
        if isinstance(valid_from, str):
            valid_from = date.fromisoformat(valid_from)
        if valid_from is None and self.has("extract_date"):
            dates = self.dates("extract_date", "%d%b%Y")
            distinct = {d for d in dates if d}
            if len(distinct) > 1:
                self.issues.add(
                    None,
                    self.header("extract_date"),
                    "the file has more than one extract date; load one extract at a time",
                )
            valid_from = min(distinct) if distinct else None
        if valid_from is None:
            self.issues.add(None, None, "give the date this mapping takes effect (valid from)")
        self.valid_from = valid_from

    def write(self) -> ImportResult:
        kept = self.keep_rows
        details = {}
        pcn_rows = {
            (code,): {"name": name}
            for code, name in zip(self.pcns[kept], self.text("pcn_name")[kept], strict=True)
        }
        details["PCNs"], pcn_pks = sync(PCN, ("code",), pcn_rows, ["name"])
        practice_rows = {}
        for code, name, postcode in zip(
            self.practices[kept],
            self.text("practice_name")[kept],
            self.text("postcode")[kept],
            strict=True,
        ):
            key = normalise_postcode(postcode)
            practice_rows[(code,)] = {
                "name": name.title() if name.isupper() else name,
                "postcode": display_postcode(key) if key else "",
                "postcode_key": key,
            }
        details["GP practices"], practice_pks = sync(
            GPPractice,
            ("ods_code",),
            practice_rows,
            ["name", "postcode", "postcode_key"],
            merge=keep,
        )
        wanted = {
            practice_pks[(code,)]: pcn_pks[(pcn,)]
            for code, pcn in zip(self.practices[kept], self.pcns[kept], strict=True)
        }
        counts, closed = apply_practice_pcns(wanted, self.valid_from, self.file)
        notes = [f"Memberships take effect on {self.valid_from.day} {self.valid_from:%B %Y}."]
        if closed:
            notes.append(f"{closed:,} earlier memberships ended then.")
        return self.result("practice PCN memberships", counts, details=details, notes=notes)


def apply_practice_pcns(wanted: dict[int, int], valid_from: date, source: str):
    """As geography.apply_memberships, for practice → PCN."""
    rows_by_practice: dict[int, list] = {}
    for row in PracticePCNMembership.objects.values_list(
        "pk", "practice_id", "valid_from", "valid_to", "pcn_id"
    ):
        if row[1] in wanted:
            rows_by_practice.setdefault(row[1], []).append(row)
    counts = Counts()
    create, update, close = [], [], []
    for practice_id, pcn_id in wanted.items():
        rows = sorted(rows_by_practice.get(practice_id, []), key=lambda r: r[2])
        same = next((r for r in rows if r[2] == valid_from), None)
        later = [r[2] for r in rows if r[2] > valid_from]
        valid_to = min(later) if later else None
        if same is not None:
            if (same[4], same[3]) == (pcn_id, valid_to):
                counts.unchanged += 1
            else:
                update.append((same[0], pcn_id, valid_to, source))
                counts.updated += 1
        else:
            create.append(
                {
                    "practice_id": practice_id,
                    "pcn_id": pcn_id,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "source": source,
                }
            )
            counts.created += 1
        earlier = [r for r in rows if r[2] < valid_from]
        if earlier and (earlier[-1][3] is None or earlier[-1][3] > valid_from):
            close.append((earlier[-1][0], valid_from))
    fast_insert(PracticePCNMembership, create)
    fast_update(PracticePCNMembership, ["pcn_id", "valid_to", "source"], update)
    fast_update(PracticePCNMembership, ["valid_to"], close)
    return counts, len(close)
