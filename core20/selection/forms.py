"""Forms for the selection pages. They check and collect input; core20.selection.actions
saves it, audits it and applies the rules that do not depend on one form (an application's
completeness on submission, a declared conflict of interest, the call's dates)."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q

from core20.accounts.models import Membership, User
from core20.places.icbs import offer_icbs
from core20.places.models import ICB, Region
from core20.programme.models import ClinicalArea, PlusGroup, Site, Wave
from core20.selection.actions import (
    APPLICATION_FIELDS,
    CALL_FIELDS,
    CRITERION_FIELDS,
    PANEL_ROLE,
    QUESTION_FIELDS,
    SUMMARY_WORD_LIMIT,
    answer_field,
    score_field,
)
from core20.selection.files import ACCEPT, validate_document
from core20.selection.models import (
    Application,
    Call,
    Criterion,
    PanelAppointment,
    Question,
    word_count,
)
from core20.web.forms import DateInput, NHSBoundField, grouped_choices
from core20.web.spam import SpamCheckMixin

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"


class MarkedOptionalBoundField(NHSBoundField):
    """For forms whose fields are checked elsewhere (on submission, or one of two): only
    the fields named in the form's ``OPTIONAL`` are labelled "(optional)"."""

    @property
    def is_optional(self) -> bool:
        return self.name in getattr(self.form, "OPTIONAL", ()) and self.nhs_kind != "checkbox"


def _limit(field: forms.Field, what: str) -> None:
    if getattr(field, "max_length", None):
        field.error_messages["max_length"] = (
            f"{what} must be {field.max_length} characters or fewer"
        )


class DocumentField(forms.FileField):
    """A PDF, DOCX or ODT file of up to 10 MB, checked by its name and its contents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)
        self.error_messages["required"] = "Select a file"
        self.error_messages["empty"] = "The selected file is empty"
        self.error_messages["invalid"] = "The selected file could not be uploaded. Try again"
        self.error_messages["max_length"] = "The file's name must be 255 characters or fewer"

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            upload.checked_content_type = validate_document(upload)
        return upload


# ---- calls, questions and criteria (national admins) ----


class CallForm(forms.ModelForm):
    pack = DocumentField(
        label="Prior information pack",
        required=False,
        help_text=(
            "A PDF, DOCX or ODT file of up to 10 MB, for applicants to download. Choosing a "
            "new file replaces the current one."
        ),
    )

    class Meta:
        model = Call
        fields = CALL_FIELDS
        labels = {
            "wave": "Wave",
            "title": "Title",
            "summary": "About the call",
            "opens_on": "Opening date",
            "closes_on": "Closing date",
            "disagreement_threshold": "Flag scores that differ by at least",
        }
        help_texts = {
            "wave": "The wave the selected sites will join",
            "title": "For example Wave 3 expressions of interest",
            "summary": "What the call is for and who can apply, shown on the call's page",
            "opens_on": "Applicants can apply from this date",
            "closes_on": "Applications can be submitted until the end of this day",
            "disagreement_threshold": (
                "Points on one criterion between the highest and lowest panel scores. "
                "Applications where the panel differs this much are flagged for discussion"
            ),
        }
        widgets = {
            "wave": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "opens_on": DateInput(attrs={"class": "nhsuk-input--width-10"}),
            "closes_on": DateInput(attrs={"class": "nhsuk-input--width-10"}),
            "disagreement_threshold": forms.NumberInput(
                attrs={"class": "nhsuk-input--width-4", "step": "0.5"}
            ),
        }
        error_messages = {
            "wave": {
                "required": "Choose the wave",
                "invalid_choice": "Choose a wave from the list",
            },
            "title": {"required": "Enter a title for the call"},
            "summary": {"required": "Enter what the call is about"},
            "opens_on": {
                "required": "Enter the opening date",
                "invalid": "Opening date must be a real date, like 3 October 2026",
            },
            "closes_on": {
                "required": "Enter the closing date",
                "invalid": "Closing date must be a real date, like 31 October 2026",
            },
            "disagreement_threshold": {
                "required": "Enter how many points of difference to flag",
                "invalid": "Enter a number, like 2",
                "max_digits": "Enter a number less than 1000",
                "max_decimal_places": "Enter a number with at most one decimal place, like 1.5",
                "max_whole_digits": "Enter a number less than 1000",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = Wave.objects.select_related("programme").order_by("number")
        self.fields["wave"].empty_label = None
        _limit(self.fields["title"], "Title")

    def clean_disagreement_threshold(self):
        value = self.cleaned_data["disagreement_threshold"]
        if value is not None and value <= 0:
            raise ValidationError("Enter a number more than 0, like 2")
        return value

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error(
                "closes_on", "The closing date must be the same as or after the opening date"
            )
        return data


class QuestionForm(forms.ModelForm):
    position = forms.IntegerField(
        label="Position",
        required=False,
        min_value=1,
        max_value=999,
        help_text="Questions are shown in this order. Leave blank to add it at the end",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "invalid": "Position must be a whole number, like 3",
            "min_value": "Position must be 1 or more",
            "max_value": "Position must be 999 or less",
        },
    )
    word_limit = forms.IntegerField(
        label="Word limit",
        required=False,
        min_value=1,
        max_value=10000,
        help_text="Leave blank for no limit",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "invalid": "Word limit must be a whole number, like 500",
            "min_value": "Word limit must be 1 or more",
            "max_value": "Word limit must be 10,000 or less",
        },
    )

    class Meta:
        model = Question
        fields = QUESTION_FIELDS
        labels = {"text": "Question", "guidance": "Guidance for applicants"}
        help_texts = {"guidance": "What a good answer covers, shown under the question"}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"text": {"required": "Enter the question"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["text"], "Question")

    def clean_position(self):
        return self.cleaned_data["position"] or 0


class CriterionForm(forms.ModelForm):
    position = forms.IntegerField(
        label="Position",
        required=False,
        min_value=1,
        max_value=999,
        help_text="Criteria are shown in this order. Leave blank to add it at the end",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "invalid": "Position must be a whole number, like 3",
            "min_value": "Position must be 1 or more",
            "max_value": "Position must be 999 or less",
        },
    )
    weight = forms.DecimalField(
        label="Weight",
        max_digits=5,
        decimal_places=2,
        help_text="How much the criterion counts: a member's total is the sum of weight × score",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "step": "0.01"}),
        error_messages={
            "required": "Enter a weight, like 1",
            "invalid": "Weight must be a number, like 1.5",
            "max_digits": "Weight must be less than 1000",
            "max_decimal_places": "Weight can have at most 2 decimal places",
            "max_whole_digits": "Weight must be less than 1000",
        },
    )
    max_score = forms.IntegerField(
        label="Maximum score",
        min_value=1,
        max_value=100,
        help_text="Panel members score from 0 up to this",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "required": "Enter the maximum score, like 5",
            "invalid": "Maximum score must be a whole number, like 5",
            "min_value": "Maximum score must be 1 or more",
            "max_value": "Maximum score must be 100 or less",
        },
    )

    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS
        labels = {"name": "Name", "description": "What the panel looks for"}
        help_texts = {"name": "For example Working with communities"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Enter a name for the criterion"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["name"], "Name")

    def clean_position(self):
        return self.cleaned_data["position"] or 0

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise ValidationError("Weight must be more than 0")
        return weight


# ---- applicant accounts ----


class ApplicantAccountForm(SpamCheckMixin, forms.Form):
    """Name, email and password, spam-checked (core20.web.spam)."""

    SALT = "core20.selection.applicant-account"
    SPAM_MESSAGE = (
        "We could not create your account. Wait a few seconds, check your details and try again"
    )

    full_name = forms.CharField(
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
        help_text="You will use this to sign in. We will send the panel's decision here",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address", "invalid": EMAIL_INVALID},
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Avoid common words and passwords you use elsewhere",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_confirm = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again to confirm it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_spam_fields()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise ValidationError(
                "There is already an account with this email address. Sign in instead, or "
                "reset your password if you have forgotten it"
            )
        return email

    def clean(self):
        data = super().clean()
        self.check_spam(data)
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", "The passwords do not match. Enter them again")
        elif password:
            user = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


# ---- applications ----


class ApplicationForm(forms.Form):
    """An application's details and an answer per question. Saving a draft accepts empty
    fields and answers over their word limits; submitting checks them
    (actions.submission_errors), and the errors are shown against these fields."""

    bound_field_class = MarkedOptionalBoundField
    OPTIONAL = {"place", "communities_note", "contact_phone"}

    organisation_name = forms.CharField(
        label="Organisation applying",
        max_length=200,
        required=False,
        help_text="The ICB, or the organisation leading the bid for the place partnership",
    )
    kind = forms.ChoiceField(
        label="Are you applying as an integrated care system or a place?",
        choices=Site.Kind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    ics_name = forms.CharField(
        label="Integrated care system (ICS)",
        max_length=200,
        required=False,
        help_text="For example Black Country and West Birmingham ICS",
    )
    place = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        help_text="If the work is in one place within the ICS, for example Walsall",
    )
    regions = forms.ModelMultipleChoiceField(
        label="NHS regions",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the regions the work covers",
    )
    icbs = forms.ModelMultipleChoiceField(
        label="Integrated care boards (ICBs)",
        queryset=ICB.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the ICBs the work covers",
    )
    summary = forms.CharField(
        label="Summary of your proposal",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"Up to {SUMMARY_WORD_LIMIT} words. If you are selected, this becomes the public "
            "description of your site"
        ),
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label="Clinical areas you will focus on",
        queryset=ClinicalArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Core20PLUS5 clinical areas. Select all that apply",
    )
    communities = forms.ModelMultipleChoiceField(
        label="Communities you will work with (PLUS groups)",
        queryset=PlusGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    communities_note = forms.CharField(
        label="About these communities",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In your own words, for example which communities within a group",
    )
    contact_name = forms.CharField(label="Contact name", max_length=200, required=False)
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
    )
    contact_phone = forms.CharField(
        label="Contact telephone number",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "class": "nhsuk-input--width-20"}),
    )

    SECTIONS = [
        ("Your area", ["organisation_name", "kind", "ics_name", "place", "regions", "icbs"]),
        (
            "Your proposal",
            ["summary", "focus_areas", "communities", "communities_note"],
        ),
        ("Contact", ["contact_name", "contact_email", "contact_phone"]),
    ]

    def __init__(
        self, *args, questions: list[Question], application: Application | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        held = application.icbs.values("pk") if application and application.pk else ()
        offer_icbs(self.fields["icbs"], held=held, hint=NO_LONGER_IN_USE_HINT)
        areas = ClinicalArea.objects.filter(site__isnull=True).order_by("group", "position", "name")
        self.fields["focus_areas"].queryset = areas
        self.fields["focus_areas"].choices = grouped_choices(areas, lambda a: a.get_group_display())
        groups = PlusGroup.objects.filter(site__isnull=True).select_related("parent")
        self.fields["communities"].queryset = groups
        self.fields["communities"].choices = grouped_choices(
            sorted(groups, key=_community_order), _community_heading
        )
        for name, what in (
            ("organisation_name", "Organisation name"),
            ("ics_name", "ICS name"),
            ("place", "Place"),
            ("contact_name", "Contact name"),
            ("contact_phone", "Telephone number"),
        ):
            _limit(self.fields[name], what)
        for name in ("regions", "icbs", "focus_areas", "communities"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the list"
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from the list"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose from the list"
        for number, question in enumerate(questions, start=1):
            hint = question.guidance
            if question.word_limit:
                limit = f"Up to {question.word_limit} words."
                hint = f"{hint} {limit}" if hint else limit
            self.fields[answer_field(question)] = forms.CharField(
                label=f"{number}. {question.text}",
                required=False,
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {
            name: getattr(application, name)
            for name in APPLICATION_FIELDS
            if name not in ("regions", "icbs", "focus_areas", "communities")
        }
        for name in ("regions", "icbs", "focus_areas", "communities"):
            initial[name] = list(getattr(application, name).values_list("pk", flat=True))
        for answer in application.answers.all():
            initial[answer_field(answer.question_id)] = answer.text
        return initial

    def sections(self) -> list:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def question_fields(self) -> list:
        """(question, bound field, word count, over the limit?) for the template."""
        rows = []
        for question in self.questions:
            bound = self[answer_field(question)]
            value = bound.value() or ""
            words = word_count(value)
            over = bool(question.word_limit and words > question.word_limit)
            rows.append((question, bound, words, over))
        return rows

    def data_for_action(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS}

    def answers_for_action(self) -> dict:
        return {q.pk: self.cleaned_data.get(answer_field(q), "") for q in self.questions}


NO_LONGER_IN_USE_HINT = (
    "An ICB marked “no longer in use” has been replaced or merged since you chose it. It "
    "stays ticked until you untick it: choose the ICB that covers your area now"
)


def _community_order(group: PlusGroup) -> tuple:
    if group.parent_id:
        rank = 1
    elif group.for_children_and_young_people:
        rank = 2
    else:
        rank = 0
    parent_position = group.parent.position if group.parent_id else group.position
    return (rank, parent_position, group.position, group.name)


def _community_heading(group: PlusGroup) -> str:
    if group.parent_id:
        return group.parent.name
    if group.for_children_and_young_people:
        return "Children and young people"
    return "PLUS groups"


class AttachmentForm(forms.Form):
    file = DocumentField(
        label="Upload a file",
        help_text="A PDF, DOCX or ODT file of up to 10 MB. You can attach up to 5 files",
    )


# ---- the panel ----


class AppointForm(forms.Form):
    """Appoint a panel member: someone who already holds the panel member role, or any
    existing user by their email address (they are given the role)."""

    bound_field_class = MarkedOptionalBoundField

    user = forms.ModelChoiceField(
        label="Panel members",
        queryset=User.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        help_text="People who already hold the panel member role",
        error_messages={"invalid_choice": "Choose a panel member from the list"},
    )
    email = forms.EmailField(
        label="Or someone else, by the email address of their account",
        required=False,
        help_text=(
            "They must already have an account (for example an applicant account, or one "
            "created on the People page). They will be given the panel member role"
        ),
        error_messages={"invalid": EMAIL_INVALID},
    )
    member_type = forms.ChoiceField(
        label="What experience do they bring to the panel?",
        choices=PanelAppointment.MemberType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what experience they bring to the panel"},
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        holders = Membership.objects.filter(role=PANEL_ROLE, ended_at__isnull=True).values(
            "user_id"
        )
        appointed = PanelAppointment.objects.filter(call=call).values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(pk__in=holders, is_active=True)
            .exclude(pk__in=appointed)
            .order_by("full_name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"
        if not self.fields["user"].queryset.exists():
            self.fields["user"].widget = forms.HiddenInput()
            self.fields["email"].label = "Email address of their account"

    def clean(self):
        data = super().clean()
        user, email = data.get("user"), (data.get("email") or "").strip().lower()
        if "user" in self.errors or "email" in self.errors:
            return data
        if user and email:
            self.add_error("email", "Choose a panel member or enter an email address, not both")
        elif not user and not email:
            target = "email" if isinstance(self.fields["user"].widget, forms.HiddenInput) else None
            self.add_error(target, "Choose a panel member from the list or enter an email address")
        elif email:
            found = User.objects.filter(email=email).first()
            if found is None:
                self.add_error(
                    "email",
                    "There is no account with this email address. Ask them to create an "
                    "applicant account first, or add them on the People page",
                )
            elif PanelAppointment.objects.filter(call=self.call, user=found).exists():
                self.add_error("email", f"{found} is already on this panel")
            else:
                data["user"] = found
        return data


class ConflictForm(forms.Form):
    bound_field_class = MarkedOptionalBoundField

    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this application?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "For example you work for, advise or are closely connected to the organisations "
            "or people applying"
        ),
        error_messages={"required": "Choose yes if you have a conflict of interest"},
    )
    details = forms.CharField(
        label="If yes, describe the conflict",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not (data.get("details") or "").strip():
            self.add_error("details", "Describe your conflict of interest")
        return data


class ReviewForm(forms.Form):
    """A score (0 to the criterion's maximum) and an optional comment per criterion, and
    overall comments."""

    comments = forms.CharField(
        label="Overall comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Strengths, concerns and anything the panel should discuss",
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields = {}
        for criterion in criteria:
            message = (
                f"Score for {criterion.name} must be a whole number from 0 to {criterion.max_score}"
            )
            fields[score_field(criterion)] = forms.IntegerField(
                label=f"Score for {criterion.name}",
                min_value=0,
                max_value=criterion.max_score,
                help_text=f"From 0 to {criterion.max_score}",
                widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
                error_messages={
                    "required": f"Enter a score for {criterion.name}",
                    "invalid": message,
                    "min_value": message,
                    "max_value": message,
                },
            )
            fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        comments = self.fields.pop("comments")
        self.fields.update(fields)
        self.fields["comments"] = comments

    def rows(self) -> list:
        return [(c, self[score_field(c)], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[score_field(c)] for c in self.criteria}

    def score_comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


# ---- decisions ----

DECISION_CHOICES = [
    (Application.Status.SELECTED.value, "Selected"),
    (Application.Status.ASSOCIATE.value, "Associate site"),
    (Application.Status.NOT_SELECTED.value, "Not selected"),
]


class DecisionChoiceForm(forms.Form):
    decision = forms.ChoiceField(
        label="What has the panel decided?",
        choices=DECISION_CHOICES,
        widget=forms.RadioSelect,
        help_text=(
            "Selected and associate applications become sites in the call's wave, not shown "
            "to the public until you publish them"
        ),
        error_messages={
            "required": "Choose a decision",
            "invalid_choice": "Choose a decision from the list",
        },
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES, widget=forms.HiddenInput)
    site_name = forms.CharField(
        label="Name of the new site",
        max_length=200,
        required=False,
        help_text="From the application. It must be different from every other site's name",
        error_messages={"max_length": "Site name must be 200 characters or fewer"},
    )
    letter = forms.CharField(
        label="Feedback letter",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "Emailed to the applicant and shown on their application's page. Replace "
            "“[Add the panel's feedback here]” with the panel's feedback"
        ),
        error_messages={"required": "Enter the feedback letter"},
    )

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        if decision == Application.Status.NOT_SELECTED:
            del self.fields["site_name"]
        else:
            self.fields["site_name"].required = True
            self.fields["site_name"].error_messages["required"] = "Enter a name for the site"
