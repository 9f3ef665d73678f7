"""Forms for the connector network pages. They only read input; the actions validate the
rules and save."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from core20.network.models import (
    Check,
    Connector,
    DevelopmentGoal,
    RoleType,
    SupportNote,
    WellbeingFlag,
)
from core20.network.requirements import check_types_for, modules_for
from core20.places.models import Ward
from core20.programme.models import Organisation, PlusGroup, Site
from core20.web.forms import DateInput, sometimes_required
from core20.web.spam import SpamCheckMixin

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
DATE_INVALID = "Enter a real date, like 31 July 2025"
MAX_TEXT = 5000


def _text(label: str, *, required=True, rows=4, help_text="", missing="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": missing or f"Enter {label.lower()}",
            "max_length": f"{label} must be {MAX_TEXT:,} characters or fewer",
        },
    )


def _date(label: str, *, required=True, missing="", help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        help_text=help_text,
        error_messages={
            "required": missing or f"Enter the {label.lower()}",
            "invalid": DATE_INVALID,
        },
    )


def communities_for(site: Site):
    """The PLUS groups a site's people can belong to: the national list and the site's own."""
    return PlusGroup.objects.national_or_site(site).order_by("position", "name")


def wards_for(site: Site, current=()):
    """The wards a site works in: its target wards, the wards of its target districts, and
    any the connector already has."""
    from core20.places.models import SiteTargetArea

    targets = SiteTargetArea.objects.filter(site=site)
    ward_codes = targets.filter(kind=SiteTargetArea.Kind.WARD).values("code")
    lad_codes = targets.filter(kind=SiteTargetArea.Kind.LAD).values("code")
    return (
        Ward.objects.filter(
            Q(code__in=ward_codes) | Q(lad__code__in=lad_codes) | Q(pk__in=list(current))
        )
        .distinct()
        .order_by("name", "code")
    )


class DetailsForm(forms.Form):
    """Name and contact details, and what the person brings. Shared by the public form and
    the coordinator's add and edit pages."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": EMAIL_INVALID},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        error_messages={"max_length": "Phone number must be 40 characters or fewer"},
    )
    languages = forms.CharField(
        label="Languages you speak",
        required=False,
        max_length=300,
        help_text="Separate them with commas, for example English, Punjabi, Urdu",
        error_messages={"max_length": "Languages must be 300 characters or fewer"},
    )
    communities = forms.ModelMultipleChoiceField(
        label="Communities you are connected with",
        required=False,
        queryset=PlusGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose any that apply",
    )
    skills = _text(
        "Skills",
        required=False,
        rows=3,
        help_text="For example: cooking, listening, running groups",
    )
    interests = _text("Interests", required=False, rows=3)

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.fields["communities"].queryset = communities_for(site)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_languages(self):
        return [
            s.strip() for s in (self.cleaned_data.get("languages") or "").split(",") if s.strip()
        ]


class LivedExperienceMixin(forms.Form):
    lived_experience = _text(
        "Your own lived experience",
        required=False,
        help_text=(
            "Only if you want to tell us: experiences that help you connect with your community, "
            "for example of a health condition or of being a carer. Only the coordinators who "
            "support connectors at this site will see it"
        ),
    )
    lived_experience_consent = forms.BooleanField(
        label="I agree to you keeping what I have written about my lived experience",
        required=False,
    )


# A phone number as people write it: digits, spaces, brackets, hyphens and a leading +.
PHONE_CHARACTERS = re.compile(r"\+?[\d\s()\-]+")
PHONE_INVALID = "Enter a phone number in the correct format, like 07700 900 982 or +44 7700 900 982"


class InterestForm(SpamCheckMixin, LivedExperienceMixin, DetailsForm):
    """The public expression-of-interest form, spam-checked (core20.web.spam)."""

    SALT = "core20.network.interest"
    SPAM_MESSAGE = (
        "We could not send your form. Wait a few seconds, check your details and try again"
    )

    motivation = _text(
        "Why would you like to be a connector?",
        rows=5,
        missing="Tell us why you would like to be a connector",
    )
    availability = forms.CharField(
        label="When are you usually free?",
        required=False,
        max_length=300,
        help_text="For example: weekday mornings, or Saturdays",
        error_messages={"max_length": "This must be 300 characters or fewer"},
    )
    field_order = [
        "name",
        "email",
        "phone",
        "motivation",
        "availability",
        "languages",
        "communities",
        "skills",
        "interests",
        "lived_experience",
        "lived_experience_consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "We will use this or your phone number to contact you"
        self.add_spam_fields()

    def clean_phone(self):
        """A number a coordinator can ring: it may be the only way to reach the person, so
        "12345" or a word is caught here rather than leaving them never contacted."""
        phone = " ".join((self.cleaned_data.get("phone") or "").split())
        digits = re.sub(r"\D", "", phone)
        if phone and (not PHONE_CHARACTERS.fullmatch(phone) or not 10 <= len(digits) <= 15):
            raise ValidationError(PHONE_INVALID)
        return phone

    def clean(self):
        data = super().clean()
        self.check_spam(data)
        if data.get("lived_experience") and not data.get("lived_experience_consent"):
            self.add_error(
                "lived_experience_consent",
                "Tick the box to agree to us keeping what you wrote about your lived "
                "experience, or delete what you wrote if you would rather we did not keep it",
            )
        # A phone number with its own error was given: one message, next to it, is enough.
        given = data.get("email") or data.get("phone") or "phone" in self.errors
        if not given and "email" not in self.errors:
            self.add_error(
                "email", "Enter an email address or a phone number so we can contact you"
            )
        return data

    def action_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        data.pop("started", None)
        return data


class ConnectorForm(DetailsForm):
    """Adding or editing a connector (coordinators). Host coordinators also see lived
    experience; the view removes those fields for everyone else."""

    host_organisation = forms.ModelChoiceField(
        label="Host organisation", required=False, queryset=Organisation.objects.none()
    )
    role_type = forms.ChoiceField(
        label="Role", choices=RoleType.choices, widget=forms.RadioSelect, initial=RoleType.VOLUNTEER
    )
    availability = forms.CharField(label="Availability", required=False, max_length=300)
    wards = forms.ModelMultipleChoiceField(
        label="Wards they work in", required=False, queryset=Ward.objects.none()
    )
    started_on = _date("Started on", required=False)
    lived_experience = LivedExperienceMixin.base_fields["lived_experience"]
    lived_experience_consent = forms.BooleanField(
        label="They have agreed, explicitly, to us keeping this", required=False
    )

    def __init__(self, *args, show_lived: bool, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (
            ("name", "Full name"),
            ("languages", "Languages they speak"),
            ("communities", "Communities they are connected with"),
        ):
            self.fields[name].label = label
        self.fields["name"].error_messages["required"] = "Enter the connector's full name"
        self.fields["lived_experience"].label = "Their lived experience"
        self.fields["lived_experience"].help_text = (
            "Only with their explicit consent. Only host coordinators at this site and the "
            "connector can see this"
        )
        host = self.initial.get("host_organisation")
        self.fields["host_organisation"].queryset = Organisation.objects.filter(
            Q(site_roles__site=self.site) | Q(pk=getattr(host, "pk", host))
        ).distinct()
        self.fields["wards"].queryset = wards_for(self.site, self.initial.get("wards") or ())
        if self.fields["wards"].queryset.count() <= 30:
            field = self.fields["wards"]
            field.widget = forms.CheckboxSelectMultiple()
            field.widget.choices = field.choices
        else:
            self.fields["wards"].help_text = "Hold Ctrl (or Cmd) to choose more than one"
        if not show_lived:
            del self.fields["lived_experience"]
            del self.fields["lived_experience_consent"]
        if editing:
            del self.fields["role_type"]  # changed through the pathway page, with its history
        if not self.fields["wards"].queryset.exists():
            del self.fields["wards"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New stage",
        choices=Connector.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new stage"},
    )
    reason = sometimes_required(
        _text("Reason", required=False, rows=3, help_text="Needed when pausing or leaving")
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Connector.Status.choices if c[0] != current]


class CheckForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Check.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the check's status"},
    )
    completed_on = sometimes_required(
        _date("Date completed", required=False, help_text="Needed once it is clear or not clear")
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=100,
        help_text="For example the DBS certificate number",
    )
    notes = _text("Notes", required=False, rows=3)


class TrainingForm(forms.Form):
    """One or several modules completed on the same date (actions.record_training_modules).
    The field keeps the name ``module``, so ``?module=<id>`` ticks one and a form that posts
    a single ``module`` still works."""

    module = forms.ModelMultipleChoiceField(
        label="Training modules completed",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each module they completed, or renewed, on the same date",
        error_messages={
            "required": "Choose at least one training module",
            "invalid_choice": "Choose training modules from the list",
        },
    )
    completed_on = _date("Date completed", missing="Enter the date the training was completed")
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=300,
        help_text="For example a certificate number. It is saved with each module you tick",
    )

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules_for(site)


class RequirementsForm(forms.Form):
    checks = forms.ModelMultipleChoiceField(
        label="Checks connectors need",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.ModelMultipleChoiceField(
        label="Training connectors need",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checks"].queryset = check_types_for(site)
        self.fields["modules"].queryset = modules_for(site)


class ModuleForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the module's title"}
    )
    code = forms.SlugField(
        label="Short name",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, for example food-hygiene",
        error_messages={
            "required": "Enter a short name",
            "invalid": "Use only lower-case letters, numbers and hyphens",
        },
    )
    description = _text("Description", required=False, rows=3)
    url = forms.URLField(
        label="Web address",
        required=False,
        error_messages={"invalid": "Enter a web address starting https://"},
    )
    valid_for_months = forms.IntegerField(
        label="Renew every (months)",
        required=False,
        min_value=1,
        max_value=120,
        help_text="Leave empty if it never needs renewing",
        error_messages={
            "invalid": "Enter a whole number of months",
            "min_value": "Enter at least 1 month",
            "max_value": "Enter 120 months or fewer",
        },
    )
    required_by_default = forms.BooleanField(
        label="Every connector at the site must do this", required=False
    )


class SupportNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=SupportNote.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose supervision or check-in"},
    )
    happened_on = _date("Date", missing="Enter the date it took place")
    body = _text("Note", rows=5, missing="Enter the note")


class FlagForm(forms.Form):
    level = forms.ChoiceField(
        label="How serious",
        choices=WellbeingFlag.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how serious it is"},
    )
    summary = _text("What is the concern?", rows=4, missing="Enter a summary of the concern")


class ResolveFlagForm(forms.Form):
    resolution = _text("What was done", rows=3, missing="Enter what was done")


class GoalForm(forms.Form):
    title = forms.CharField(
        label="Goal", max_length=200, error_messages={"required": "Enter the goal"}
    )
    detail = _text("Detail", required=False, rows=3)
    target_date = _date("Target date", required=False)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=DevelopmentGoal.Status.choices)


class PathwayForm(forms.Form):
    role_type = forms.ChoiceField(
        label="New role",
        choices=RoleType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new role"},
    )
    started_on = _date("Starts on", missing="Enter the date the new role starts")
    note = _text("Note", required=False, rows=3)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: name, email (both needed), phone, role_type, status, started_on "
            "(YYYY-MM-DD), languages (separated by ;), communities and wards (codes separated "
            "by ;), skills, interests"
        ),
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )
