"""The public lookup page: one postcode or code, or a CSV file of them.

GET ?q=… looks up one code and shows the answer. POST with a CSV file returns the same file
with the lookup's columns added (one output row per input row, in order, with a status per
row). Both go through the same vectorised lookup as the API.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import get_valid_filename

from core20.places.lookup.cache import get_lookup_table
from core20.places.lookup.csvfile import (
    MAX_ROWS,
    CsvProblem,
    check_heading,
    choose_column,
    lookup_csv,
    read_csv,
)
from core20.places.lookup.editions import postcode_directory_edition
from core20.places.lookup.resolve import resolve_one
from core20.places.lookup.shapes import shape_problem
from core20.places.models import (
    CORE20_DECILES,
    DEFAULT_EDITION,
    EDITIONS,
    Ward,
)

EDITION_CHOICES = [(code, info["short_name"]) for code, info in EDITIONS.items()]
STATUS_LABELS = {
    "ok": ("Found", "nhsuk-tag--green"),
    "terminated": ("Found: no longer in use", "nhsuk-tag--orange"),
    "unlocated": ("Found, but not placed", "nhsuk-tag--orange"),
    "not_found": ("Not found", "nhsuk-tag--red"),
    "invalid": ("Not recognised", "nhsuk-tag--red"),
}
AREA_TYPES = ("ward", "lad")
QUERY_TYPE_LABELS = {
    "postcode": "Postcode",
    "lsoa": "LSOA",
    "ward": "Electoral ward",
    "lad": "Local authority district",
    "practice": "GP practice or other prescriber",
}


class EditionField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=EDITION_CHOICES,
            initial=DEFAULT_EDITION,
            label="Core20 by",
            help_text="Which Indices of Deprivation the Core20 answer follows (IMD 2019 unless "
            "you choose otherwise). Both editions' deciles are always given",
            widget=forms.RadioSelect,
            error_messages={"required": "Choose an edition", "invalid_choice": "Choose an edition"},
            **kwargs,
        )


class LookupForm(forms.Form):
    q = forms.CharField(
        label="Postcode or code",
        help_text="A postcode (any spacing), LSOA code (E01…), ward code (E05…), local "
        "authority district code or GP practice code (for example M83001)",
        max_length=100,
        error_messages={
            "required": "Enter a postcode or code",
            "max_length": "Enter 100 characters or fewer",
        },
    )
    edition = EditionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"autocomplete": "postal-code", "spellcheck": "false"})


class CsvLookupForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"A CSV file with a header row, up to {MAX_ROWS:,} rows",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
        },
    )
    column = forms.CharField(
        label="Column holding the codes",
        help_text="Its heading, as in the file's first row, or its number (1 for the first). "
        "Leave this blank to find it from the values",
        required=False,
        max_length=200,
    )
    edition = EditionField()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if not upload.name.lower().endswith((".csv", ".txt")):
            self.add_error("file", "The selected file must be a CSV")
            return cleaned
        try:
            frame = read_csv(upload.read())
        except CsvProblem as exc:
            self.add_error("file", str(exc))
            return cleaned
        try:
            cleaned["column_name"] = choose_column(frame, cleaned.get("column", ""))
        except CsvProblem as exc:
            self.add_error("column", str(exc))
            return cleaned
        try:
            check_heading(cleaned["column_name"])
        except CsvProblem as exc:
            self.add_error("file", str(exc))
            return cleaned
        cleaned["frame"] = frame
        return cleaned


def _crumbs():
    return [("Home", reverse("web:home"))]


def ward_boundaries(result: dict) -> str:
    """Which year's ward boundaries the result's ward is from, in words ("" where there is
    no ward). A postcode's (or a practice's) ward is the postcode directory's, so its
    edition's; an LSOA's is the newest ward lookup's best fit; a ward is its own year's.
    One query."""
    if not result.get("ward"):
        return ""
    if result.get("query_type") in ("postcode", "practice") and result.get("postcode"):
        edition = postcode_directory_edition(result["postcode"])
        if edition is None:
            return "As in the postcode directory loaded here"
        return f"{edition[1]}, as in the ONS postcode directory of {edition[0]}"
    year = Ward.objects.filter(code=result["ward"]).values_list("year", flat=True).first()
    if not year:
        return ""
    if result.get("query_type") == "lsoa":
        return f"{year}: the {year} ward that best fits this LSOA"
    return str(year)


def result_rows(result: dict) -> list[tuple[str, str]]:
    """The answer as (label, value) pairs for a summary list."""

    def text(value) -> str:
        if value is None or value == "" or value == []:
            return "Not known"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def named(code, name) -> str:
        if not code:
            return "Not known"
        return f"{name} ({code})" if name else str(code)

    def decile(edition: str) -> str:
        single = result.get(f"{edition}_decile")
        if single is not None:
            return str(single)
        deciles = sorted(result.get(f"{edition}_deciles") or [])
        if not deciles:
            return "Not known"
        if len(deciles) == 1:
            return str(deciles[0])
        listed = ", ".join(str(d) for d in deciles[:-1])
        # An area holds LSOAs in each of its deciles; a postcode or LSOA whose LSOA was split
        # (or merged) is in one of them, which the data cannot tell.
        if is_area:
            return f"Mixed: {listed} and {deciles[-1]}"
        return f"{listed} or {deciles[-1]}"

    def core20(edition: str) -> str:
        flag = result.get(f"core20_{edition}")
        if flag is not None:
            return text(flag)
        deciles = set(result.get(f"{edition}_deciles") or [])
        core = set(CORE20_DECILES)
        if is_area and deciles & core and deciles - core:
            return "Partly: some of its LSOAs are in deciles 1 and 2"
        return "Not known"

    query_type = result.get("query_type")
    # A ward or district is made of many LSOAs (and a district of many wards): there is no
    # one LSOA (or ward) to give.
    is_area = query_type in AREA_TYPES
    # Something not recognised has no kind: the status above the answer says so, once.
    rows = []
    if query_type in QUERY_TYPE_LABELS:
        rows.append(("What it is", QUERY_TYPE_LABELS[query_type]))
    if result.get("name"):
        rows.append(("Name", result["name"]))
    if result.get("postcode") and query_type != "postcode":
        rows.append(("Postcode", result["postcode"]))
    if result["status"] in ("ok", "terminated"):
        if not is_area:
            rows += [
                ("LSOA (2011)", text(result.get("lsoa11") or result.get("lsoa11_candidates"))),
                ("LSOA (2021)", text(result.get("lsoa21") or result.get("lsoa21_candidates"))),
            ]
        if query_type != "lad":
            rows.append(("Electoral ward", named(result.get("ward"), result.get("ward_name"))))
            if result.get("ward_boundaries"):
                rows.append(("Ward boundaries", result["ward_boundaries"]))
        rows += [
            ("Local authority district", named(result.get("lad"), result.get("lad_name"))),
            ("Integrated care board", named(result.get("icb"), result.get("icb_name"))),
            ("NHS England region", named(result.get("region"), result.get("region_name"))),
            ("IMD 2019 decile", decile("imd2019")),
            ("IoD 2025 decile", decile("iod2025")),
            ("Core20 (IMD 2019)", core20("imd2019")),
            ("Core20 (IoD 2025)", core20("iod2025")),
        ]
    return rows


def lookup(request: HttpRequest) -> HttpResponse:
    """GET: one code (``?q=``). POST: a CSV file, answered with the CSV file."""
    result = None
    if request.method == "POST":
        form = LookupForm()
        csv_form = CsvLookupForm(request.POST, request.FILES, prefix="csv")
        if csv_form.is_valid():
            data = csv_form.cleaned_data
            body = lookup_csv(
                data["frame"], data["column_name"], get_lookup_table(), edition=data["edition"]
            )
            stem = Path(get_valid_filename(data["file"].name)).stem or "codes"
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}-lookup.csv"'
            return response
    else:
        csv_form = CsvLookupForm(prefix="csv")
        data = None
        if "q" in request.GET:
            data = request.GET.copy()
            data.setdefault("edition", DEFAULT_EDITION)
        form = LookupForm(data)
        if form.is_bound and form.is_valid():
            query = form.cleaned_data["q"]
            result = resolve_one(get_lookup_table(), query, edition=form.cleaned_data["edition"])
            if result["status"] == "invalid":
                # Name the code: "E01028 looks like an LSOA code but is too short: …".
                result["notes"] = shape_problem(query) or result["notes"]
            elif result["status"] in ("ok", "terminated"):
                result["ward_boundaries"] = ward_boundaries(result)
    status = STATUS_LABELS.get(result["status"]) if result else None
    return render(
        request,
        "placesui/lookup.html",
        {
            "form": form,
            "csv_form": csv_form,
            "result": result,
            "result_rows": result_rows(result) if result else [],
            "status_label": status[0] if status else "",
            "status_class": status[1] if status else "",
            "breadcrumbs": _crumbs(),
            "max_rows": MAX_ROWS,
        },
        status=200,
    )
