"""Forms for the knowledge hub and the mailing list: each mistake gets its own message. The
actions (core20.knowledge.actions) check again before saving."""

import re
from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from core20.knowledge import files
from core20.knowledge.actions import CONSENT_TEXT, is_publishing, link_and_date_errors
from core20.knowledge.models import WEB_LINK, Mailing, Resource
from core20.programme.forms import FilterBoundField
from core20.programme.models import ClinicalArea
from core20.web.forms import DateInput

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"


# "14:30", "14.30", "9:05", "1430"; or with am or pm: "2:30pm", "2pm", "9.15 a.m.".
_TWENTY_FOUR_HOUR = re.compile(r"(\d{1,2})[:.](\d{2})|(\d{2})(\d{2})")
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?")


def parse_time(text: str) -> time | None:
    """The clock time people type, or None when it is not one."""
    text = text.strip().lower()
    if match := _TWENTY_FOUR_HOUR.fullmatch(text):
        hour, minute = (int(g) for g in match.groups() if g is not None)
    elif match := _TWELVE_HOUR.fullmatch(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3] == "p" else 0)
    else:
        return None
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class ClockTimeField(forms.TimeField):
    """A time typed in one plain text box, like 14:30 (the NHS design system has no time
    picker; browsers' own ones are hard to use with a screen reader)."""

    widget = forms.TimeInput(
        format="%H:%M",
        attrs={"class": "nhsuk-input--width-5", "autocomplete": "off", "spellcheck": "false"},
    )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        parsed = parse_time(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def national_areas():
    return ClinicalArea.objects.filter(site__isnull=True).order_by("group", "position", "name")


class ResourceForm(forms.ModelForm):
    link = forms.URLField(
        label="Link",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[WEB_LINK],
        help_text="A web page, for example the webinar's joining page or recording, "
        "starting https://. For a webinar still to come you can leave it blank until the "
        "joining link is ready: the page says joining details will follow.",
        error_messages={
            "invalid": "Enter a web address that starts with https:// or http://",
            "max_length": "The web address must be 500 characters or fewer",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="A PDF, Word document (.docx) or OpenDocument text file (.odt), smaller "
        "than 10 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
        error_messages={
            "invalid": "The selected file could not be read. Try again.",
            "empty": "The selected file is empty",
            "missing": "The selected file could not be read. Try again.",
            "max_length": "The file name must be 200 characters or fewer",
        },
    )
    remove_file = forms.BooleanField(label="Remove the current file", required=False)
    starts_at = ClockTimeField(
        label="Start time",
        required=False,
        help_text="Webinars only, in UK time. For example 14:30. Leave blank if it is not "
        "known yet: the page says the time is to be confirmed.",
        error_messages={"invalid": "Enter the start time as hours and minutes, like 14:30"},
    )
    ends_at = ClockTimeField(
        label="End time",
        required=False,
        help_text="Webinars only, in UK time. For example 15:30",
        error_messages={"invalid": "Enter the end time as hours and minutes, like 15:30"},
    )

    # The fields each of link_and_date_errors' checks reads.
    _DEPENDS_ON = {
        "event_on": {"kind", "event_on"},
        "starts_at": {"kind", "event_on", "starts_at", "ends_at"},
        "ends_at": {"kind", "event_on", "starts_at", "ends_at"},
        "link": {"kind", "link", "event_on"},
        "link_text": {"link", "link_text"},
    }

    class Meta:
        model = Resource
        fields = (
            "kind",
            "title",
            "slug",
            "summary",
            "body",
            "link",
            "link_text",
            "file",
            "clinical_areas",
            "event_on",
            "starts_at",
            "ends_at",
            "published",
            "published_on",
        )
        labels = {
            "kind": "Type of resource",
            "title": "Title",
            "slug": "Web address",
            "summary": "Summary",
            "body": "More detail",
            "link_text": "Link text",
            "clinical_areas": "Clinical areas",
            "event_on": "Date of the webinar",
            "published": "Show this on the knowledge hub",
            "published_on": "Date published",
        }
        help_texts = {
            "slug": "The last part of the page's address. Leave blank to make one from the title.",
            "summary": "One or two sentences, shown in the list",
            "body": "Anything more people should know",
            "link_text": "What the link says, for example Watch the recording. Leave blank to "
            "use the address.",
            "clinical_areas": "Select all that apply",
            "event_on": "Webinars only. For example 27/3/2025",
            "published": "Leave unticked to keep it as a draft only the national team sees",
            "published_on": "For example 27/3/2025. Leave blank to use today's date. A later "
            "date keeps it hidden from readers until that day.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "clinical_areas": forms.CheckboxSelectMultiple,
            "event_on": DateInput,
            "published_on": DateInput,
        }
        error_messages = {
            "kind": {"required": "Choose the type of resource"},
            "title": {
                "required": "Enter a title",
                "max_length": "The title must be 200 characters or fewer",
            },
            "slug": {
                "invalid": "The web address can only contain lower-case letters, numbers and "
                "hyphens",
                "max_length": "The web address must be 200 characters or fewer",
            },
            "summary": {"required": "Enter a summary"},
            "link_text": {"max_length": "The link text must be 120 characters or fewer"},
            "event_on": {"invalid": "Enter the date of the webinar as a real date, like 27/3/2025"},
            "published_on": {"invalid": "Enter the date published as a real date, like 27/3/2025"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Resource.Kind.choices
        self.fields["slug"].required = False
        areas = national_areas()
        self.fields["clinical_areas"].queryset = areas
        self.fields["clinical_areas"].error_messages["invalid_choice"] = "Choose from the list"
        self.fields["clinical_areas"].error_messages["invalid_pk_value"] = "Choose from the list"
        # A plain file input: "remove the current file" is a separate checkbox.
        self.fields["file"].widget = forms.FileInput(attrs={"accept": ".pdf,.docx,.odt"})
        if self.instance.pk and self.instance.file:
            self.fields["file"].help_text = (
                f"Now: {self.instance.file_name}. Upload another to replace it. "
                + self.fields["file"].help_text
            )
        else:
            del self.fields["remove_file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            files.check_upload(upload)
            return upload
        return None  # no new file: keep the current one

    def clean(self):
        data = super().clean()
        problems = link_and_date_errors(
            kind=data.get("kind"),
            link=data.get("link") or "",
            link_text=data.get("link_text") or "",
            event_on=data.get("event_on"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            # The instance is still as saved: the form copies its data in after clean().
            publishing=is_publishing(self.instance, data.get("published")),
        )
        for name, message in problems.items():
            # Not when a field it depends on has a mistake of its own, said already.
            if not self._DEPENDS_ON[name] & set(self.errors):
                self.add_error(name, message)
        return data

    def _post_clean(self):
        # The file is checked above and stored by the action: keep the model's FileField out
        # of the instance the form builds.
        upload = self.cleaned_data.pop("file", None)
        super()._post_clean()
        self.cleaned_data["file"] = upload

    def action_data(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in self._meta.fields
            if name not in ("file",) and name in self.cleaned_data
        }
        for name in ("link", "link_text", "body", "slug"):
            data[name] = data.get(name) or ""
        if self.cleaned_data.get("file"):
            data["file"] = self.cleaned_data["file"]
        if self.cleaned_data.get("remove_file"):
            data["remove_file"] = True
        return data


class ResourceFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Words in the title or summary",
        error_messages={"max_length": "Enter 100 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Any type"), *Resource.Kind.choices],
        error_messages={"invalid_choice": "Choose a type from the list"},
    )
    area = forms.ModelChoiceField(
        label="Clinical area",
        queryset=ClinicalArea.objects.none(),
        required=False,
        empty_label="Any clinical area",
        to_field_name="code",
        error_messages={"invalid_choice": "Choose a clinical area from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = national_areas()

    def filter(self, resources):
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            resources = resources.filter(Q(title__icontains=q) | Q(summary__icontains=q))
        if data.get("kind"):
            resources = resources.filter(kind=data["kind"])
        if data.get("area"):
            resources = resources.filter(clinical_areas=data["area"])
        return resources


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": EMAIL_INVALID,
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )
    name = forms.CharField(
        label="Your name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Your name must be 200 characters or fewer"},
    )
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"max_length": "The organisation must be 200 characters or fewer"},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=True,
        error_messages={"required": "Tick the box to agree to receive emails from Core20 Connect"},
    )


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ("subject", "body")
        labels = {"subject": "Subject", "body": "Message"}
        help_texts = {
            "subject": "For example Wave 3 of the Core20PLUS Connectors programme is open",
            "body": "Plain text. Every email ends with a line saying why the person gets it "
            "and a link to unsubscribe.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        error_messages = {
            "subject": {
                "required": "Enter a subject",
                "max_length": "The subject must be 150 characters or fewer",
            },
            "body": {"required": "Enter the message"},
        }

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise ValidationError("The subject must be on one line")
        return subject
