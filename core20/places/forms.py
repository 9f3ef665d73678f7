from django import forms

from core20.places.importers import IMPORTERS
from core20.places.runs import REFERENCE


def kind_choices():
    return [
        (REFERENCE, "All the reference data shipped with Core20 Connect"),
        *((kind, importer.label) for kind, importer in IMPORTERS.items()),
    ]


def layout_choices():
    choices = [("", "Work it out from the column headers")]
    for importer in IMPORTERS.values():
        choices.append(
            (importer.label, [(layout.key, layout.label) for layout in importer.layouts])
        )
    return choices


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you loading?",
        widget=forms.RadioSelect,
        choices=kind_choices,
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text="CSV (it may be gzip-compressed, .csv.gz) or Excel (.xlsx), as published. "
        "Not needed for the shipped reference data.",
    )
    layout = forms.ChoiceField(
        label="Layout",
        required=False,
        choices=layout_choices,
        help_text="Leave this to match the file's column headers to a known layout.",
    )
    valid_from = forms.DateField(
        label="Takes effect on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For LSOA to ICB lookups and practice to PCN mappings. Leave blank to use "
        "the lookup's own date (1 April of its year; 1 July 2022 for the 2022 lookups).",
    )
    year = forms.IntegerField(
        label="Mid-year of the estimates",
        required=False,
        min_value=1991,
        max_value=2100,
        help_text="For population estimates whose file name does not say the year.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind != REFERENCE:
            if not data.get("file"):
                self.add_error("file", "Choose the file to load.")
            layout = data.get("layout")
            if layout and layout not in {lay.key for lay in IMPORTERS[kind].layouts}:
                self.add_error(
                    "layout",
                    f"That layout is not one for {IMPORTERS[kind].label}: choose "
                    "another, or leave it to the column headers.",
                )
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "valid_from": data["valid_from"].isoformat() if data.get("valid_from") else None,
            "year": data.get("year"),
        }
