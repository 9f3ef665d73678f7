"""Forms for the micro-grant pages. They check and collect input; core20.grants.actions
saves it, audits it and applies the rules that need the database (the fund's maximum award
and remaining budget, budget lines adding up, who may score)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from core20.accounts.models import User
from core20.grants.actions import FUND_FIELDS, check_application
from core20.grants.models import Application, Criterion, Fund
from core20.places.models import Ward
from core20.places.models_targets import SiteTargetArea
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.forms import DateInput, NHSBoundField
from core20.web.spam import SpamCheckMixin

MAX_AMOUNT = Decimal("9999999999.99")
BUDGET_ROWS = 5
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
# The code of the application form's errors about its budget lines as a whole (the key
# ``budget`` of check_application's errors): shown with the budget, not at the top.
BUDGET_ERROR = "budget"


def money_field(label: str, *, what: str, help_text: str = "", required: bool = True):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
        error_messages={
            "required": f"Enter {what.lower()} in pounds",
            "invalid": f"{what} must be a number in pounds, like 500 or 499.50",
            "min_value": f"{what} must be at least £0.01",
            "max_value": f"{what} is too large",
            "max_digits": f"{what} is too large",
            "max_whole_digits": f"{what} is too large",
            "max_decimal_places": f"{what} can only have pence, like 499.50",
        },
    )


def _strip_pounds(data, names):
    """Accept "£1,250.50" as well as "1250.50"."""
    if data is None:
        return None
    data = data.copy()
    for name in names:
        if name in data and isinstance(data[name], str):
            data[name] = data[name].replace("£", "").replace(",", "").strip()
    return data


def date_field(label: str, *, what: str, required: bool = True, help_text: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(attrs={"class": "nhsuk-input--width-10"}),
        error_messages={
            "required": f"Enter {what.lower()}",
            "invalid": f"{what} must be a real date, like 31/3/2026",
        },
    )


class MarkedOptionalBoundField(NHSBoundField):
    """For forms whose fields are required one or other way (a score unless there is a
    conflict; an amount or a reason): only the fields in the form's ``OPTIONAL`` are
    labelled "(optional)"."""

    @property
    def is_optional(self) -> bool:
        return self.name in getattr(self.form, "OPTIONAL", ()) and self.nhs_kind != "checkbox"


# ---- funds, criteria, panel ----


class FundForm(forms.ModelForm):
    budget = money_field("Budget", what="The budget", help_text="The total the fund can award")
    max_award = money_field(
        "Maximum award", what="The maximum award", help_text="The most one application can get"
    )
    opens_on = date_field("Opening date", what="The opening date")
    closes_on = date_field(
        "Closing date",
        what="The closing date",
        help_text="Applications can be sent until the end of this day",
    )

    class Meta:
        model = Fund
        fields = FUND_FIELDS
        labels = {"name": "Name of the fund", "summary": "About the fund"}
        help_texts = {
            "name": "For example Healthy Hearts community grants 2026",
            "summary": "Who can apply and what the fund pays for, shown to the public",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "name": {"required": "Enter the name of the fund"},
            "summary": {"required": "Say who can apply and what the fund pays for"},
        }

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_strip_pounds(data, ("budget", "max_award")), *args, **kwargs)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ("name", "description", "max_score")
        labels = {
            "name": "Criterion",
            "description": "What the panel should look for",
            "max_score": "Highest score",
        }
        help_texts = {"max_score": "Panel members score from 0 to this number"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "max_score": forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
        }
        error_messages = {
            "name": {"required": "Enter the criterion"},
            "max_score": {
                "required": "Enter the highest score",
                "invalid": "Highest score must be a whole number",
            },
        }


class AppointForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the panel member",
        help_text=(
            "They must have an account with the community member role at this site (a site "
            "lead can give them the role on the people page)"
        ),
        error_messages={
            "required": "Enter the panel member's email address",
            "invalid": EMAIL_INVALID,
        },
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
        if user is None:
            raise ValidationError(f"No one has an account with the email address {email}")
        self.cleaned_data["user"] = user
        return email


# ---- the public application ----


class ApplicationForm(SpamCheckMixin, forms.Form):
    SALT = "core20.grants.application"
    SPAM_MESSAGE = (
        "We could not send your application. Wait a few seconds, check your details and try again"
    )

    recipient_type = forms.ChoiceField(
        label="Who is applying?",
        choices=Application.RecipientType.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Grants to individuals are published without the person's name or details, "
            "following the 360Giving rules for grants to individuals"
        ),
        error_messages={"required": "Choose whether a group or an individual is applying"},
    )
    group_name = forms.CharField(
        label="Name of the group or person applying",
        max_length=200,
        error_messages={
            "required": "Enter the name of the group or person applying",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    charity_number = forms.CharField(
        label="Registered charity number",
        max_length=20,
        required=False,
        help_text="Groups only. Leave empty if you are not a registered charity",
        error_messages={"max_length": "Charity number must be 20 characters or fewer"},
    )
    company_number = forms.CharField(
        label="Company number",
        max_length=20,
        required=False,
        help_text="Groups only, if you are a registered company",
        error_messages={"max_length": "Company number must be 20 characters or fewer"},
    )
    contact_name = forms.CharField(
        label="Contact name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter the name of the person we should contact",
            "max_length": "Contact name must be 200 characters or fewer",
        },
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        help_text="We will email a private link to follow your application here",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter the contact email address", "invalid": EMAIL_INVALID},
    )
    contact_phone = forms.CharField(
        label="Contact phone number",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "class": "nhsuk-input--width-20"}),
        error_messages={"max_length": "Phone number must be 30 characters or fewer"},
    )
    title = forms.CharField(
        label="Project title",
        max_length=140,
        help_text="A short name for what the grant will pay for, for example Walk and talk group",
        error_messages={
            "required": "Enter a project title",
            "max_length": "Project title must be 140 characters or fewer",
        },
    )
    purpose = forms.CharField(
        label="What will the grant pay for?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "What you will do, with whom, and how it helps people get the care they need. "
            "Do not include anyone's health details, religion, ethnicity or other personal "
            "information"
        ),
        error_messages={"required": "Say what the grant will pay for"},
    )
    communities = forms.ModelMultipleChoiceField(
        label="Which communities will benefit?",
        queryset=PlusGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose communities from the list"},
    )
    wards = forms.ModelMultipleChoiceField(
        label="Which wards will the work be in?",
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose wards from the list"},
    )
    places_note = forms.CharField(
        label="Other places",
        max_length=300,
        required=False,
        help_text="Neighbourhoods, estates or venues not in the list of wards",
        error_messages={"max_length": "Other places must be 300 characters or fewer"},
    )
    clinical_areas = forms.ModelMultipleChoiceField(
        label="Which health areas does the work help with?",
        queryset=ClinicalArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose health areas from the list"},
    )
    amount_requested = money_field("How much are you asking for?", what="The amount")
    starts_on = date_field("Start date", what="The start date", required=False)
    ends_on = date_field("End date", what="The end date", required=False)

    MONEY = ("amount_requested", *(f"amount_{i}" for i in range(1, BUDGET_ROWS + 1)))

    bound_field_class = MarkedOptionalBoundField
    OPTIONAL = (
        "charity_number",
        "company_number",
        "contact_phone",
        "communities",
        "wards",
        "places_note",
        "clinical_areas",
        "starts_on",
        "ends_on",
        *(f"{p}_{i}" for p in ("item", "amount") for i in range(2, BUDGET_ROWS + 1)),
    )

    def __init__(self, data=None, *args, fund: Fund, **kwargs):
        super().__init__(_strip_pounds(data, self.MONEY), *args, **kwargs)
        self.fund = fund
        site = fund.site
        self.fields["communities"].queryset = PlusGroup.objects.national_or_site(site).order_by(
            "position", "name"
        )
        ward_codes = SiteTargetArea.objects.filter(site=site, kind=SiteTargetArea.Kind.WARD).values(
            "code"
        )
        self.fields["wards"].queryset = Ward.objects.filter(code__in=ward_codes).order_by("name")
        if not self.fields["wards"].queryset.exists():
            del self.fields["wards"]
            # No list of wards to choose from, so this is the only place to say where.
            self.fields["places_note"].label = "Where will the work be?"
            self.fields["places_note"].help_text = "Neighbourhoods, estates, wards or venues"
            self.fields["places_note"].error_messages["max_length"] = (
                "Where the work will be must be 300 characters or fewer"
            )
        self.fields["clinical_areas"].queryset = ClinicalArea.objects.national_or_site(site)
        for name in ("communities", "clinical_areas"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]  # no reference data loaded: nothing to choose from
        self.fields["amount_requested"].help_text = f"Up to £{fund.max_award:,.2f}"
        for i in range(1, BUDGET_ROWS + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=f"Budget line {i}: what for",
                max_length=200,
                required=False,
                error_messages={"max_length": "Each budget line must be 200 characters or fewer"},
            )
            self.fields[f"amount_{i}"] = money_field(
                f"Budget line {i}: amount",
                what=f"Budget line {i} amount",
                required=False,
            )
        self.add_spam_fields()

    def budget_rows(self) -> list:
        return [(i, self[f"item_{i}"], self[f"amount_{i}"]) for i in range(1, BUDGET_ROWS + 1)]

    def detail_fields(self) -> list:
        skip = {"website", "started"} | {
            f"{p}_{i}" for p in ("item", "amount") for i in range(1, BUDGET_ROWS + 1)
        }
        return [self[name] for name in self.fields if name not in skip]

    def clean(self):
        data = super().clean()
        self.check_spam(data)
        if self.errors:
            # The action is not reached while a field has a mistake, so check the rest now
            # (the maximum award, the dates, the budget lines adding up): every mistake at
            # once, not one round later.
            self._check_with_action()
        return data

    def _check_with_action(self) -> None:
        budget_fields = {f"{p}_{i}" for p in ("item", "amount") for i in range(1, BUDGET_ROWS + 1)}
        # A budget line the form could not read cannot be added up: its own error says why.
        lines = None if budget_fields & set(self.errors) else self.budget_lines()
        try:
            check_application(fund=self.fund, data=self.action_data(), budget_lines=lines)
        except ValidationError as exc:
            self.add_action_errors(exc)

    def add_action_errors(self, exc: ValidationError) -> None:
        """Show the errors of ``check_application`` (or ``submit_application``) on the form:
        a field's next to it, unless the field already has its own message; the budget's
        (``budget``: the lines, their total) next to the budget lines; the rest at the top."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, messages in exc.message_dict.items():
            if name == BUDGET_ERROR:
                # A line's own mistake keeps which line and part it is about (its params),
                # so that the error summary links to that line's field.
                for error in exc.error_dict[name]:
                    for message in error.messages:
                        self.add_error(
                            None, ValidationError(message, code=BUDGET_ERROR, params=error.params)
                        )
                continue
            field = name if name in self.fields else None
            if field in self.errors:
                continue  # the field's own message says what is wrong with it
            for message in messages:
                self.add_error(field, message)

    def _non_field_errors(self, *, budget: bool) -> list[str]:
        return [
            message
            for error in self.non_field_errors().as_data()
            if (error.code == BUDGET_ERROR) == budget
            for message in error.messages
        ]

    def budget_errors(self) -> list[str]:
        """The budget's own mistakes (no lines, a line half filled in, lines that do not add
        up to the amount), shown at the top of the budget on the page."""
        return self._non_field_errors(budget=True)

    def _budget_error_links(self) -> list[tuple[str, str]]:
        """The budget's own mistakes with where the error summary links: a line's mistake
        ("Budget line 2: enter what the money is for") to that line's field, the rest (no
        lines, a total that does not add up) to the first line."""
        first = f"#{self.budget_rows()[0][1].id_for_label}"
        items = []
        for error in self.non_field_errors().as_data():
            if error.code != BUDGET_ERROR:
                continue
            params = error.params or {}
            name = f"{params.get('part')}_{params.get('line')}"
            link = f"#{self[name].id_for_label}" if name in self.fields else first
            items += [(message, link) for message in error.messages]
        return items

    def error_summary(self) -> list[tuple[str, str]]:
        """The error summary's (message, link) pairs in the order the page shows them, as the
        design system asks: form-wide messages (no link) first, then each field's in turn,
        the budget's own at the top of the budget, before its lines'."""
        items = [(message, "") for message in self._non_field_errors(budget=False)]

        def field_errors(bound) -> list[tuple[str, str]]:
            target = bound.error_target_id or bound.id_for_label or bound.auto_id
            return [(message, f"#{target}") for message in bound.errors]

        for bound in self.detail_fields():
            items += field_errors(bound)
        items += self._budget_error_links()
        for _, item, amount in self.budget_rows():
            items += field_errors(item) + field_errors(amount)
        return items

    def action_data(self) -> dict:
        """What the action takes (only the fields that are valid so far, from ``clean``)."""
        names = (
            "recipient_type",
            "group_name",
            "charity_number",
            "company_number",
            "contact_name",
            "contact_email",
            "contact_phone",
            "title",
            "purpose",
            "places_note",
            "amount_requested",
            "starts_on",
            "ends_on",
        )
        return {n: self.cleaned_data.get(n) for n in names}

    def budget_lines(self) -> list[dict]:
        return [
            {
                "item": self.cleaned_data.get(f"item_{i}"),
                "amount": self.cleaned_data.get(f"amount_{i}"),
            }
            for i in range(1, BUDGET_ROWS + 1)
        ]


# ---- assessment ----


def score_field(criterion: Criterion) -> str:
    return f"score_{criterion.pk}"


def score_hint(criterion: Criterion) -> str:
    """The criterion's description, if any, then the range of scores and what its ends mean."""
    scale = f"From 0 (does not meet it) to {criterion.max_score} (fully meets it)"
    description = criterion.description.strip()
    if not description:
        return scale
    return f"{description}{'' if description[-1] in '.!?' else '.'} {scale}"


class AssessForm(forms.Form):
    bound_field_class = MarkedOptionalBoundField
    OPTIONAL = ("comments",)

    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this application?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example you belong to, work for or are closely connected to the group",
        error_messages={"required": "Choose yes if you have a conflict of interest"},
    )
    conflict_details = forms.CharField(
        label="If yes, describe the conflict",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            message = (
                f"Score for {criterion.name} must be a whole number from 0 to {criterion.max_score}"
            )
            self.fields[score_field(criterion)] = forms.IntegerField(
                label=f"Score for {criterion.name}",
                min_value=0,  # also the input's min and max
                max_value=criterion.max_score,
                required=False,
                help_text=score_hint(criterion),
                widget=forms.NumberInput(
                    attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}
                ),
                error_messages={"invalid": message, "min_value": message, "max_value": message},
            )
        self.fields["comments"] = forms.CharField(
            label="Comments for the panel",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[score_field(c)]
            for c in self.criteria
            if self.cleaned_data.get(score_field(c)) is not None
        }


# ---- decision, payment, outcome ----


class DecisionForm(forms.Form):
    bound_field_class = MarkedOptionalBoundField
    OPTIONAL = ()

    decision = forms.ChoiceField(
        label="What has been decided?",
        choices=[("award", "Award a grant"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to award or decline"},
    )
    amount = money_field("Amount awarded (if awarding)", what="The amount awarded", required=False)
    reason = forms.CharField(
        label="Reason for declining (if declining)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The applicant sees this",
    )
    decided_on = date_field("Date of the decision", what="The date of the decision")

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_strip_pounds(data, ("amount",)), *args, **kwargs)


class PaymentForm(forms.Form):
    amount = money_field("Amount paid", what="The amount paid")
    paid_on = date_field("Date paid", what="The date it was paid")
    reference = forms.CharField(
        label="Payment reference",
        max_length=100,
        required=False,
        error_messages={"max_length": "Reference must be 100 characters or fewer"},
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_strip_pounds(data, ("amount",)), *args, **kwargs)


class OutcomeForm(forms.Form):
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you did with the grant and what changed. Do not name anyone",
        error_messages={"required": "Say what happened"},
    )
    people_reached = forms.IntegerField(
        label="How many people took part or were reached?",
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "required": "Enter how many people took part or were reached",
            "invalid": "Number of people must be a whole number, like 40",
            "min_value": "Number of people cannot be negative",
            "max_value": "Number of people is too large",
        },
    )
    sessions_held = forms.IntegerField(
        label="How many sessions or events did you hold?",
        min_value=0,
        max_value=100_000,
        required=False,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "invalid": "Number of sessions must be a whole number, like 6",
            "min_value": "Number of sessions cannot be negative",
            "max_value": "Number of sessions is too large",
        },
    )
    learning = forms.CharField(
        label="What did you learn?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
