"""The activity form (quick to fill in on a phone) and the import form. Field-level
parsing here; the rules across fields (breakdowns within the number reached, the place)
are checked by the actions, whose errors the views put back on these fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core20.directory.queries import services_for_site
from core20.engagement.models import (
    AGE_BANDS,
    BREAKDOWNS,
    CASE_FINDING,
    ETHNIC_GROUPS,
    MAX_COUNT,
    SEXES,
    ActivityType,
)
from core20.engagement.validation import clean_activity
from core20.programme.forms import FilterBoundField
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.forms import DateInput


def _count(label: str, *, required: bool = False, help_text: str = "") -> forms.IntegerField:
    """A whole number typed as text with the numeric keypad, as the NHS and GOV.UK design
    systems advise: a number input changes its value when the page is scrolled over it and
    takes "1e3". Offline, the form's script gives the same message for a value that is not a
    whole number (``data-whole-number``, see ``OFFLINE_CHECKS`` in views)."""
    invalid = f"{label} must be a whole number, like 12"
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_COUNT,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-5",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocomplete": "off",
                "data-whole-number": invalid,
            }
        ),
        error_messages={
            "required": f"Enter the {label.lower()}, or 0",
            "invalid": invalid,
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {MAX_COUNT:,} or fewer",
        },
    )


class CodeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ActivityForm(forms.Form):
    site = forms.ModelChoiceField(
        label="Site",
        queryset=None,
        empty_label=None,
        to_field_name="slug",
        error_messages={"required": "Select the site", "invalid_choice": "Select the site"},
    )
    date = forms.DateField(
        label="Date",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the activity",
            "invalid": "Enter a real date, like 21 3 2026",
        },
    )
    kind = forms.ChoiceField(
        label="Type of activity",
        choices=ActivityType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of activity"},
    )
    people_reached = _count(
        "Number of people reached",
        required=True,
        help_text="Count people, not names. Enter 0 for a meeting where you reached nobody new.",
    )
    place = forms.CharField(
        label="Postcode or LSOA code",
        required=False,
        max_length=20,
        help_text="Where it happened, like TF1 1AA. We work out the neighbourhood and whether "
        "it is a Core20 area.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "autocomplete": "off"}),
    )
    venue = forms.CharField(label="Venue", required=False, max_length=200)
    clinical_areas = CodeChoices(
        label="Clinical areas",
        queryset=ClinicalArea.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communities = CodeChoices(
        label="Communities reached",
        queryset=PlusGroup.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The PLUS groups the people you reached belong to.",
    )
    mecc_conversations = _count(
        "MECC conversations", help_text="Making Every Contact Count: healthy-living chats."
    )
    languages = forms.CharField(
        label="Languages used", required=False, max_length=300, help_text="For example Urdu, Polish"
    )
    partners = forms.CharField(
        label="Partners",
        required=False,
        max_length=500,
        help_text="Organisations you worked with, for example the PCN or a faith group",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not write anyone's name or anything that could identify them.",
    )
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sites, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        if site is not None or sites.count() == 1:
            only = site or sites.first()
            self.fields["site"].initial = only.slug
            self.fields["site"].widget = forms.HiddenInput()
            self.single_site = only
        else:
            self.single_site = None
        scope = self.single_site
        # National ones and the site's own; only the national ones until a site is chosen.
        self.fields["clinical_areas"].queryset = ClinicalArea.objects.national_or_site(
            scope
        ).order_by("group", "position", "name")
        self.fields["communities"].queryset = PlusGroup.objects.national_or_site(scope).order_by(
            "position", "name"
        )
        for dimension, groups_ in BREAKDOWNS.items():
            for key, label in groups_.items():
                self.fields[f"{dimension}_{key}"] = _count(label)
        for key, label in CASE_FINDING.items():
            self.fields[key] = _count(label)
        # Signposting counts, one per service the site's connectors can signpost to.
        self.services = list(services_for_site(scope)[:200]) if scope is not None else []
        for service in self.services:
            self.fields[f"service_{service.pk}"] = _count(f"Signposted to {service.name}")

    def breakdown_fields(self, dimension: str):
        return [self[f"{dimension}_{key}"] for key in BREAKDOWNS[dimension]]

    @property
    def age_fields(self):
        return [self[f"age_{k}"] for k in AGE_BANDS]

    @property
    def sex_fields(self):
        return [self[f"sex_{k}"] for k in SEXES]

    @property
    def ethnicity_fields(self):
        return [self[f"ethnicity_{k}"] for k in ETHNIC_GROUPS]

    @property
    def signposting_fields(self):
        return [self[f"service_{s.pk}"] for s in self.services]

    @property
    def case_finding_fields(self):
        return [self[k] for k in CASE_FINDING]

    def clean(self):
        data = super().clean()
        site = data.get("site")
        if self.errors and site is not None:
            # The action is not reached while a field has a mistake, so check the rest now
            # (the place, the breakdowns): every mistake at once, not one round later.
            try:
                clean_activity(self.activity_data(), site=site)
            except ValidationError as exc:
                self.add_action_errors(exc, skip_fields_in_error=True)
        return data

    def activity_data(self) -> dict:
        """What the actions take (with only the fields that are valid so far, from
        ``clean``)."""
        c = self.cleaned_data
        return {
            "date": c.get("date"),
            "kind": c.get("kind"),
            "venue": c.get("venue"),
            "place": c.get("place"),
            "clinical_areas": [a.code for a in c.get("clinical_areas") or []],
            "communities": [g.code for g in c.get("communities") or []],
            "people_reached": c.get("people_reached"),
            "breakdown": {
                dimension: {
                    key: c[f"{dimension}_{key}"]
                    for key in groups
                    if c.get(f"{dimension}_{key}") is not None
                }
                for dimension, groups in BREAKDOWNS.items()
            },
            "mecc_conversations": c.get("mecc_conversations") or 0,
            "case_finding": {k: c[k] for k in CASE_FINDING if c.get(k) is not None},
            "signposting": {
                s.pk: c[f"service_{s.pk}"] for s in self.services if c.get(f"service_{s.pk}")
            },
            "languages": c.get("languages"),
            "partners": c.get("partners"),
            "notes": c.get("notes"),
        }

    def add_action_errors(
        self, exc: ValidationError, *, skip_fields_in_error: bool = False
    ) -> None:
        """Put the action's errors on the fields they concern; ``skip_fields_in_error``:
        not on a field that already has its own (the action's "Enter the date" beside the
        form's)."""
        for key, messages in exc.message_dict.items():
            if key in BREAKDOWNS:
                field = f"{key}_{next(iter(BREAKDOWNS[key]))}"
            elif key in self.fields:
                field = key
            else:
                field = None
            if skip_fields_in_error and field in self.errors:
                continue
            for message in messages:
                self.add_error(field, message)

    @staticmethod
    def initial_for(activity) -> dict:
        initial = {
            "site": activity.site.slug,
            "date": activity.date,
            "kind": activity.kind,
            "people_reached": activity.people_reached,
            "place": activity.place,
            "venue": activity.venue,
            "clinical_areas": [a.code for a in activity.clinical_areas.all()],
            "communities": [g.code for g in activity.communities.all()],
            "mecc_conversations": activity.mecc_conversations or None,
            "languages": activity.languages,
            "partners": activity.partners,
            "notes": activity.notes,
        }
        for dimension, counts in (activity.breakdown or {}).items():
            for key, value in counts.items():
                initial[f"{dimension}_{key}"] = value
        initial.update(activity.case_finding or {})
        for count in activity.signposting.all():
            initial[f"service_{count.service_id}"] = count.count
        return initial


class ActivityFilterForm(forms.Form):
    """The activity list's filters (GET), so a long list can be narrowed and the link kept.
    ``sites``: the sites to choose from, for someone who sees activities at more than one;
    None leaves the site filter out."""

    bound_field_class = FilterBoundField

    date_from = forms.DateField(
        label="Date from",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Date from must be a real date, like 21/3/2026"},
    )
    date_to = forms.DateField(
        label="Date to",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Date to must be a real date, like 21/3/2026"},
    )
    kind = forms.ChoiceField(
        label="Type of activity",
        required=False,
        choices=[("", "Any type"), *ActivityType.choices],
        error_messages={"invalid_choice": "Choose a type of activity from the list"},
    )
    site = forms.ModelChoiceField(
        label="Site",
        queryset=None,
        required=False,
        empty_label="Any site",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose a site from the list"},
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is None:
            del self.fields["site"]
        else:
            self.fields["site"].queryset = sites

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return data

    def filter(self, activities):
        """Apply the filters to a queryset of activities (call after is_valid)."""
        data = self.cleaned_data
        if data.get("date_from"):
            activities = activities.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            activities = activities.filter(date__lte=data["date_to"])
        if data.get("kind"):
            activities = activities.filter(kind=data["kind"])
        if data.get("site"):
            activities = activities.filter(site=data["site"])
        return activities


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file with the columns described below",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read. Try again.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        return upload
