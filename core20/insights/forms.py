"""Forms for insights and the bridge. Each mistake gets its own message; the actions check
again before saving."""

import uuid

from django import forms

from core20.engagement.models import Activity
from core20.insights import actions
from core20.insights.models import (
    Action,
    CoDesignSession,
    Contact,
    DecisionBody,
    Feedback,
    Insight,
    InsightSettings,
    Response,
    Theme,
)
from core20.programme.forms import FilterBoundField
from core20.programme.models import ClinicalArea, Organisation, PlusGroup, Site
from core20.web.forms import DateInput, sometimes_required

DATE_INVALID = "Enter a real date, like 27/3/2025"


# How the insights API names each choice (see core20.api.routers.insights.InsightIn).
API_KEYS = {
    "clinical_areas": "code",
    "communities": "code",
    "themes": "name",
    "organisations": "slug",
    "source_activity": "uuid",
}


def organisations_for(site):
    """The organisations an insight at ``site`` may concern: those of its decision bodies."""
    return Organisation.objects.filter(decision_bodies__site=site).distinct()


class InsightForm(forms.ModelForm):
    quote = forms.CharField(
        label="A quote",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Someone's own words, anonymised: no names or details that could identify them",
    )
    quote_consent = forms.BooleanField(
        label="The person agreed to their words being recorded",
        required=False,
    )
    quote_public = forms.BooleanField(
        label="They also agreed to their words being published on the public page",
        required=False,
    )
    source_activity = forms.ModelChoiceField(
        label="Activity where you heard it",
        queryset=Activity.objects.none(),
        required=False,
        empty_label="Not from a recorded activity",
    )
    # One per page load (the offline script makes a new one each time the page opens): a
    # double click, or the offline queue sending twice, stores one insight.
    uuid = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = Insight
        fields = (
            "kind",
            "summary",
            "people_count",
            "clinical_areas",
            "communities",
            "services",
            "organisations",
            "places",
            "themes",
        )
        labels = {
            "kind": "What kind of insight is it?",
            "summary": "What did people say?",
            "people_count": "How many people raised it?",
            "clinical_areas": "Clinical areas",
            "communities": "Communities affected",
            "services": "Services concerned",
            "organisations": "Organisations concerned",
            "places": "Places",
            "themes": "Themes",
        }
        help_texts = {
            "summary": "In plain words, without names or anything that identifies a person",
            "people_count": "A number, for example 12",
            "services": "For example the GP surgery on High Street, the breast screening unit",
            "places": "Towns, neighbourhoods or postcode districts, for example TF3",
            "clinical_areas": "Select all that apply",
            "communities": "Select all that apply",
            "themes": "Select all that apply",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            # Text with the numeric keypad, as the design systems advise (a number input
            # changes on scroll and takes "1e3"); the offline check reads it as a number.
            "people_count": forms.TextInput(
                attrs={
                    "class": "nhsuk-input--width-5",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                    "autocomplete": "off",
                }
            ),
            "clinical_areas": forms.CheckboxSelectMultiple,
            "communities": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "kind": {"required": "Choose the kind of insight"},
            "summary": {"required": "Enter what people said"},
            "people_count": {
                "required": "Enter how many people raised it",
                "invalid": "Enter the number of people as a whole number, like 12",
                "min_value": "The number of people must be 1 or more",
                "max_value": "The number of people must be 100,000 or fewer",
            },
        }

    def __init__(self, *args, site, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Insight.Kind.choices
        # The person's 20 latest activities at this site.
        self.fields["source_activity"].queryset = Activity.objects.filter(
            pk__in=list(
                Activity.objects.filter(site=site, recorded_by=user)
                .order_by("-date", "-id")
                .values_list("pk", flat=True)[:20]
            )
        )
        self.fields["clinical_areas"].queryset = ClinicalArea.objects.national_or_site(site)
        # Every national and site group, sub-groups included, as the activity form offers.
        self.fields["communities"].queryset = PlusGroup.objects.national_or_site(site).order_by(
            "position", "name"
        )
        self.fields["themes"].queryset = actions.themes_for(site)
        self.fields["organisations"].queryset = organisations_for(site)
        # Choices are sent as the API names them, so the offline form can post them as they are.
        for name, key in API_KEYS.items():
            self.fields[name].to_field_name = key

    def clean(self):
        data = super().clean()
        if data.get("quote") and not data.get("quote_consent"):
            self.add_error(
                "quote_consent",
                "Confirm the person agreed to their words being recorded, or remove the quote",
            )
        return data

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ThemesForm(forms.Form):
    """The themes of an insight, chosen by the site team when they review it. Setting them is
    the page's only purpose, so the list is not labelled "(optional)": its hint says that
    choosing none takes them all off (and the page says so once saved)."""

    bound_field_class = FilterBoundField

    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. To take all its themes off, untick them all.",
    )

    def __init__(self, *args, insight: Insight, **kwargs):
        super().__init__(*args, **kwargs)
        # The themes in use, and any the insight already has that are no longer in use.
        self.fields["themes"].queryset = Theme.objects.filter(
            pk__in=actions.themes_for(insight.site_id).values("pk")
        ) | Theme.objects.filter(pk__in=insight.themes.values("pk"))
        if not self.is_bound:
            self.initial["themes"] = list(insight.themes.all())


class RaiseSiteForm(forms.Form):
    """The site to record an insight for, for someone who may record at every site (GET)."""

    record = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.none(),
        to_field_name="slug",
        empty_label="Choose a site",
        error_messages={
            "required": "Choose the site to record an insight for",
            "invalid_choice": "Choose the site to record an insight for",
        },
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].queryset = sites


class QuoteForm(forms.Form):
    text = forms.CharField(
        label="Quote",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anonymised: no names or details that could identify the person",
        error_messages={"required": "Enter the quote"},
    )
    consent = forms.BooleanField(
        label="The person agreed to their words being recorded",
        required=False,
    )
    consent_public = forms.BooleanField(
        label="They also agreed to their words being published on the public page",
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("consent"):
            self.add_error("consent", "Confirm the person agreed to their words being recorded")
        return data


class InsightFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Insight.Kind.choices],
        error_messages={"invalid_choice": "Choose a kind from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any status"),
            ("new", "Not sent yet"),
            ("awaiting", "Awaiting a response"),
            ("overdue", "Response overdue"),
            ("actions_overdue", "Action overdue"),
            ("feedback", "Action agreed, not fed back yet"),
            ("kept", "Kept without sending"),
            ("public", "Public"),
        ],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    # What a decision-maker can find among the insights sent to them: the rest (not sent,
    # kept back, feedback to the community) is the site's work, never theirs.
    RESPONDER_STATUSES = ("", "awaiting", "overdue", "actions_overdue", "public")

    def __init__(self, *args, responder_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if responder_only:
            field = self.fields["status"]
            field.choices = [c for c in field.choices if c[0] in self.RESPONDER_STATUSES]


class RouteForm(forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        label="Send it to",
        queryset=DecisionBody.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Choose at least one organisation or forum"},
    )
    message = forms.CharField(
        label="A note for them",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, insight, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = actions.bodies_to_send_to(
            site=insight.site_id, insight=insight.pk
        ).select_related("organisation")


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label="Your response",
        choices=Response.Kind.choices,
        widget=forms.RadioSelect,
        help_text="Acknowledged: you have read it and will take it into account. "
        "Action agreed: you will do something about it. "
        "Declined: you will not act on it, and say why.",
        error_messages={"required": "Choose how you are responding"},
    )
    # Each is needed for one kind of response (the action checks), as its hint says.
    text = sometimes_required(
        forms.CharField(
            label="What you will do, or any other comment",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Needed when you agree an action",
        )
    )
    reason = sometimes_required(
        forms.CharField(
            label="Reason for declining",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Needed when you decline. The community will be told.",
        )
    )


ACTION_DUE_IN_PAST = (
    "The due date must be today or in the future. If it has already been done, choose Done"
)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ("description", "owner", "due_on", "status", "outcome", "completed_on")
        labels = {
            "description": "What will be done",
            "owner": "Who is responsible",
            "due_on": "Due date",
            "status": "Status",
            "outcome": "What was done",
            "completed_on": "Date it was done",
        }
        help_texts = {
            "outcome": "When it is done: what changed, in plain words",
            "completed_on": "When it is done. Leave it blank for today.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_on": DateInput,
            "status": forms.RadioSelect,
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "completed_on": DateInput,
        }
        error_messages = {
            "description": {"required": "Enter what will be done"},
            "owner": {"required": "Enter who is responsible"},
            "due_on": {"required": "Enter the due date", "invalid": DATE_INVALID},
            "completed_on": {"invalid": DATE_INVALID},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Action.Status.choices

    def clean(self):
        cleaned = super().clean()
        # An action still to do cannot be due before today: it would be saved already
        # overdue. Only a date being entered or changed is checked, so an action that has
        # become overdue can still be updated without moving its date.
        due_on = cleaned.get("due_on")
        if (
            due_on
            and cleaned.get("status") in Action.OPEN
            and "due_on" in self.changed_data
            and due_on < actions.today()
        ):
            self.add_error("due_on", ACTION_DUE_IN_PAST)
        return cleaned

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ("given_on", "channel", "summary")
        labels = {
            "given_on": "When was the community told?",
            "channel": "How?",
            "summary": "What were they told?",
        }
        widgets = {
            "given_on": DateInput,
            "channel": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "given_on": {"required": "Enter the date", "invalid": DATE_INVALID},
            "channel": {"required": "Choose how the community was told"},
            "summary": {"required": "Enter what the community was told"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = Feedback.Channel.choices

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PublishForm(forms.Form):
    public = forms.BooleanField(
        label="Show this on the site's public “you said, we did” page", required=False
    )
    # Both are needed to show it on the public page (the action checks), as the hints say.
    public_title = sometimes_required(
        forms.CharField(
            label="You said",
            required=False,
            max_length=200,
            help_text="What the community said, in a few words. Needed to show it on the "
            "public page.",
        )
    )
    what_changed = sometimes_required(
        forms.CharField(
            label="We did",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="What changed as a result, in plain words. Needed to show it on the "
            "public page.",
        )
    )


class KeepForm(forms.Form):
    reason = forms.CharField(
        label="Why is it not being sent?",
        max_length=actions.MAX_KEPT_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: kept as evidence for the theme, or sorted out locally with "
        "the practice",
        error_messages={"required": "Say why it is not being sent"},
    )


class BodyForm(forms.ModelForm):
    class Meta:
        model = DecisionBody
        fields = ("name", "kind", "organisation")
        labels = {
            "name": "Name of the organisation or forum",
            "kind": "Kind",
            "organisation": "Organisation",
        }
        help_texts = {
            "name": "For example Telford PCN, or the ICB's quality committee",
            "organisation": "Its decision-makers sign in to see what is sent to it",
        }
        error_messages = {
            "name": {"required": "Enter the name"},
            "kind": {"required": "Choose the kind"},
            "organisation": {"required": "Choose the organisation"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose…"), *DecisionBody.Kind.choices]

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("name", "job_title", "email")
        labels = {"name": "Name", "job_title": "Job title", "email": "Email address"}
        error_messages = {
            "name": {"required": "Enter the contact's name"},
            "email": {
                "required": "Enter the contact's email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
        }

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="New theme",
        max_length=100,
        help_text="It cannot have the same name as a national theme",
        error_messages={"required": "Enter the theme's name"},
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = InsightSettings
        fields = ("response_working_days", "reminder_working_days")
        labels = {
            "response_working_days": "Working days to respond",
            "reminder_working_days": "Remind this many working days before the due date",
        }
        error_messages = {
            "response_working_days": {
                "required": "Enter the number of working days",
                "invalid": "Enter a whole number, like 20",
                "min_value": "Allow at least 1 working day",
                "max_value": "Allow 120 working days or fewer",
            },
            "reminder_working_days": {
                "required": "Enter the number of working days",
                "invalid": "Enter a whole number, like 5",
                "min_value": "Remind at least 1 working day before",
                "max_value": "Remind 60 working days before or fewer",
            },
        }

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SessionForm(forms.ModelForm):
    class Meta:
        model = CoDesignSession
        fields = (
            "title",
            "held_on",
            "participants",
            "community_participants",
            "decisions",
            "insights",
            "actions",
        )
        labels = {
            "title": "Title",
            "held_on": "Date",
            "participants": "People who took part",
            "community_participants": "Of those, community members",
            "decisions": "Decisions made",
            "insights": "Insights it worked on",
            "actions": "Actions it shaped",
        }
        help_texts = {"insights": "Select all that apply", "actions": "Select all that apply"}
        widgets = {
            "held_on": DateInput,
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "insights": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "held_on": {"required": "Enter the date", "invalid": DATE_INVALID},
            "participants": {
                "required": "Enter how many people took part",
                "invalid": "Enter a whole number, like 14",
            },
            "decisions": {"required": "Enter the decisions made"},
        }

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest 50 of each, so the form stays usable at a busy site.
        self.fields["insights"].queryset = Insight.objects.filter(
            pk__in=list(
                Insight.objects.filter(site=site)
                .order_by("-raised_at")
                .values_list("pk", flat=True)[:50]
            )
        )
        self.fields["actions"].queryset = Action.objects.filter(
            pk__in=list(
                Action.objects.filter(routing__insight__site=site)
                .order_by("-created_at")
                .values_list("pk", flat=True)[:50]
            )
        )

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in SessionFormFields}


SessionFormFields = ("title", "held_on", "participants", "community_participants", "decisions")
