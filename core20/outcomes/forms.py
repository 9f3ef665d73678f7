"""Forms for the outcomes pages. They collect input; core20.outcomes.actions checks again,
saves and audits."""

from __future__ import annotations

from django import forms

from core20.outcomes.models import Element, Indicator
from core20.outcomes.periods import period_start
from core20.web.forms import DateInput, sometimes_required

MAX_UPLOAD = 20 * 1024 * 1024


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "clinical_area",
            "definition",
            "numerator",
            "denominator",
            "type",
            "polarity",
            "source",
            "national_ambition",
            "age",
            "geographies",
            "breakdowns",
            "fingertips_id",
            "extract_numerator",
            "extract_denominator",
            "active",
        ]
        labels = {"code": "Short code", "fingertips_id": "Fingertips indicator ID"}
        help_texts = {"code": "Lower-case letters, numbers and hyphens, for web addresses"}
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator": forms.Textarea(attrs={"rows": 2}),
            "denominator": forms.Textarea(attrs={"rows": 2}),
            "type": forms.RadioSelect,
            "polarity": forms.RadioSelect,
        }
        error_messages = {
            "code": {"required": "Enter a short code", "unique": "An indicator has this code"},
            "name": {"required": "Enter the indicator's name"},
            "clinical_area": {"required": "Enter the clinical area"},
            "definition": {"required": "Enter the definition"},
            "numerator": {"required": "Enter the numerator"},
            "type": {"required": "Choose the type"},
            "polarity": {"required": "Choose which direction is better"},
            "source": {"required": "Enter the source"},
        }


class UploadForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(active=True),
        label="Indicator",
        error_messages={
            "required": "Choose the indicator",
            "invalid_choice": "Choose an indicator from the list",
        },
    )
    site = forms.ChoiceField(
        label="Whose data is this?",
        error_messages={
            "required": "Choose whose data this is",
            "invalid_choice": "Choose from the list",
        },
    )
    file = forms.FileField(
        label="CSV file",
        help_text="A Fingertips export as downloaded, or a table with the columns area_code, "
        "period, numerator and denominator (and optionally area_name, breakdown_type, "
        "breakdown). Up to 20 MB. If any row is wrong, nothing is stored",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[
            ("table", "Aggregated figures (a Fingertips export or a table)"),
            ("extract", "Record-level extract (one row per person, counted here per LSOA)"),
        ],
        initial="table",
        required=False,  # blank: aggregated figures
        widget=forms.RadioSelect,
    )
    # Required for extracts only (checked in clean): its label must not say "(optional)".
    period = sometimes_required(
        forms.CharField(
            label="Period (for extracts)",
            help_text="The period the extract covers, for example 2024/25",
            max_length=40,
            required=False,
        )
    )
    note = forms.CharField(
        label="Note",
        help_text="What this version is, for example “Refreshed Q2 data”",
        max_length=300,
        required=False,
    )

    def __init__(self, *args, sites=None, national: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("national", "National data (every site)")] if national else []
        choices += [(str(s.pk), s.name) for s in sites or []]
        self.fields["site"].choices = choices
        if len(choices) == 1:
            self.fields["site"].initial = choices[0][0]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "extract" and not data.get("period"):
            self.add_error("period", "Enter the period the extract covers")
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class ElementForm(forms.ModelForm):
    class Meta:
        model = Element
        fields = ["stage", "text", "indicators"]
        labels = {
            "stage": "Part of the logic model",
            "text": "Description",
            "indicators": "Indicators",
        }
        widgets = {"stage": forms.RadioSelect, "indicators": forms.CheckboxSelectMultiple}
        error_messages = {
            "stage": {"required": "Choose the part of the logic model"},
            "text": {"required": "Enter a description"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].required = False
        self.fields["indicators"].queryset = Indicator.objects.filter(active=True)


class SuccessMeasureForm(forms.Form):
    statement = forms.CharField(
        label="What success looks like, in the community's words",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what success looks like, in their words"},
    )
    said_by = forms.CharField(
        label="Who said it",
        help_text="A community or group, for example “Women's group at the mosque”, not a "
        "person's name",
        max_length=200,
        error_messages={"required": "Enter who said it"},
    )


class EvidenceForm(forms.Form):
    observed_on = forms.DateField(
        label="Date",
        widget=DateInput(),
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    text = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter the evidence"},
    )


class TrajectoryForm(forms.Form):
    period = forms.CharField(
        label="Period",
        help_text="As the data writes it, for example 2025/26, 2025/26 Q1 or 2026",
        max_length=40,
        error_messages={"required": "Enter the period"},
    )
    value = forms.FloatField(
        label="Aim for the target areas",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
        error_messages={
            "required": "Enter the value you aim for",
            "invalid": "The aim must be a number",
        },
    )

    def clean_period(self):
        period = " ".join(self.cleaned_data["period"].split())
        try:
            period_start(period)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return period


class EvaluationForm(forms.Form):
    # Only indicators with uploaded figures: any other can only answer "no figures".
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(
            type__in=[Indicator.Type.PROPORTION, Indicator.Type.RATE], uploads__isnull=False
        ).distinct(),
        label="Indicator",
        error_messages={
            "required": "Choose the indicator",
            "invalid_choice": "Choose an indicator from the list",
        },
    )
    before = forms.ChoiceField(
        label="Period before",
        error_messages={
            "required": "Choose the period before",
            "invalid_choice": "Choose a period from the list",
        },
    )
    after = forms.ChoiceField(
        label="Period after",
        error_messages={
            "required": "Choose the period after",
            "invalid_choice": "Choose a period from the list",
        },
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a period")] + [(p, p) for p in periods]
        self.fields["before"].choices = choices
        self.fields["after"].choices = choices

    def clean(self):
        data = super().clean()
        before, after = data.get("before"), data.get("after")
        if before and after and period_start(after) <= period_start(before):
            self.add_error(
                "after", f"Choose a period after the period before ({before}), not {after}"
            )
        return data
