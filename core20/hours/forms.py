"""Forms for hours, time credits, expense claims, payments and exports.

The forms collect input with a message for each mistake; core20.hours.actions checks again,
saves and audits.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core20.hours.actions import MAX_REASON
from core20.hours.files import ACCEPT
from core20.hours.models import Payment
from core20.oversight.forms import MoneyInputMixin
from core20.programme.views.common import add_action_errors  # noqa: F401 (re-exported)
from core20.web.forms import DateInput, sometimes_required


def _not_after_today(message: str):
    def check(value) -> None:
        if value is not None and value > timezone.localdate():
            raise ValidationError(message)

    return check


def _date_field(
    label: str, *, what: str, help_text: str = "", required: bool = True, future: str = ""
):
    """``future``: the message refusing a date after today (the actions refuse it too; the
    form says so beside the other fields' errors, not one round later)."""
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        validators=[_not_after_today(future)] if future else [],
        widget=DateInput,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date, like 27/3/2025",
        },
    )


def _number_field(
    label: str,
    *,
    what: str,
    name: str,
    like: str,
    min_value: Decimal,
    max_value: Decimal,
    at_least: str,
    at_most: str,
    places: str = "can have at most two decimal places",
    number: str = "a number",
    help_text: str = "",
    required: bool = True,
    width: int = 4,
) -> forms.DecimalField:
    """A decimal number typed as text (hours, pounds), at most two decimal places, whose
    messages follow one pattern: "Enter {what}", "{Name} must be {number}, like {like}",
    "{Name} must be at least {at_least}", "{Name} must be {at_most}" and "{Name} {places}"
    (by default "{Name} can have at most two decimal places").

    ``max_value`` is the only upper limit, so a number too big gets that one message once, not
    also Django's own about digits (the field's ``max_digits`` in the model is never reached
    below ``max_value``)."""
    name = name[:1].upper() + name[1:]
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=min_value,
        max_value=max_value,
        decimal_places=2,
        localize=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": f"nhsuk-input--width-{width}"}
        ),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"{name} must be {number}, like {like}",
            "min_value": f"{name} must be at least {at_least}",
            "max_value": f"{name} must be {at_most}",
            "max_decimal_places": f"{name} {places}",
        },
    )


def _hours_field(
    label: str, *, what: str, name: str, like: str, at_least: str, **kwargs
) -> forms.DecimalField:
    """Hours, from a quarter of an hour to 24."""
    return _number_field(
        label,
        what=what,
        name=name,
        like=like,
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        at_least=at_least,
        at_most="24 or fewer",
        **kwargs,
    )


def _money_field(
    label: str, *, what: str, max_value: Decimal, help_text: str = ""
) -> forms.DecimalField:
    """An amount in pounds and pence (a "£" and commas are fine with ``MoneyInputMixin``)."""
    return _number_field(
        label,
        what=f"{what} in pounds",
        name=what,
        like="12.50",
        number="a number in pounds",
        min_value=Decimal("0.01"),
        max_value=max_value,
        at_least="£0.01",
        at_most=f"£{max_value:,.0f} or less",
        places="can only have pence, like 12.50",
        help_text=help_text,
        width=10,
    )


class ConnectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_status_display().lower()})"


class ForConnectorForm(forms.Form):
    """A form connectors fill in for themselves, or coordinators for a connector at their
    site: ``connectors`` (a queryset) adds the choice of connector; without it there is none."""

    connector = ConnectorChoiceField(
        label="Connector",
        queryset=None,
        empty_label="Choose a connector",
        error_messages={
            "required": "Choose the connector",
            "invalid_choice": "Choose a connector from the list",
        },
    )

    def __init__(self, *args, connectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if connectors is None:
            del self.fields["connector"]
        else:
            self.fields["connector"].queryset = connectors


class HoursForm(ForConnectorForm):
    """Hours on one day. ``connectors`` (a queryset) adds a choice of connector, for
    coordinators logging hours for someone."""

    date = _date_field(
        "Date",
        what="the date of the volunteering",
        help_text="For example 27/3/2025",
        future="The date cannot be in the future",
    )
    hours = _hours_field(
        "Hours",
        help_text="For example 2, or 1.5 for an hour and a half",
        what="the number of hours",
        name="hours",
        like="2 or 1.5",
        at_least="0.25 (15 minutes)",
    )
    activity = forms.CharField(
        label="What the hours were for",
        help_text="For example: coffee morning at the community centre",
        max_length=300,
        error_messages={
            "required": "Enter what the hours were for",
            "max_length": "What the hours were for must be 300 characters or fewer",
        },
    )


class CreditSettingForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label="Does this site give time credits for volunteer hours?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the site gives time credits"},
    )
    hours_per_credit = sometimes_required(
        _hours_field(
            "Hours for one time credit",
            required=False,
            help_text="Needed if the site gives time credits. For example 1 (one credit an hour) "
            "or 2 (one credit for two hours)",
            what="how many hours earn one time credit",
            name="hours for one time credit",
            like="1 or 2.5",
            at_least="0.25",
        )
    )

    def clean(self):
        data = super().clean()
        missing = data.get("enabled") and data.get("hours_per_credit") is None
        if missing and not self.has_error("hours_per_credit"):
            # Needed only when the site gives credits, so the field itself is not required.
            field = self.fields["hours_per_credit"]
            self.add_error("hours_per_credit", field.error_messages["required"])
        return data


class ClaimForm(ForConnectorForm):
    """What a claim is for. ``connectors`` (a queryset) adds a choice of connector, for
    coordinators starting a claim for someone (for example from paper receipts)."""

    title = forms.CharField(
        label="What the claim is for",
        help_text="For example: travel and refreshments for March",
        max_length=200,
        error_messages={
            "required": "Enter what the claim is for",
            "max_length": "What the claim is for must be 200 characters or fewer",
        },
    )


class ItemForm(MoneyInputMixin, forms.Form):
    money_fields = ("amount",)

    date = _date_field(
        "Date of the expense",
        what="the date of the expense",
        help_text="For example 27/3/2025",
        future="The date of the expense cannot be in the future",
    )
    description = forms.CharField(
        label="What you spent money on",
        help_text="For example: bus fare to the health fair",
        max_length=200,
        error_messages={
            "required": "Enter what you spent money on",
            "max_length": "What you spent money on must be 200 characters or fewer",
        },
    )
    amount = _money_field("Amount (£)", what="the amount", max_value=Decimal("10000"))


class ReceiptForm(forms.Form):
    file = forms.FileField(
        label="Upload a receipt",
        help_text="A photo or scan: PDF, JPEG or PNG, smaller than 10 MB",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Choose a receipt to upload",
            "invalid": "The selected file could not be read. Try again.",
            "empty": "The selected file is empty",
            "missing": "The selected file could not be read. Try again.",
        },
    )


APPROVE = "approve"
REJECT = "reject"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve the claim"), (REJECT, "Reject the claim")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or reject the claim"},
    )
    reason = sometimes_required(
        forms.CharField(
            label="Why the claim is rejected",
            help_text="The connector will see this. Only needed if you reject the claim.",
            required=False,
            max_length=MAX_REASON,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": f"The reason must be {MAX_REASON:,} characters or fewer"},
        )
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the claim is rejected")
        return data


class PaidForm(forms.Form):
    # The action refuses a future date too (mark_claim_paid); the form says so first.
    paid_on = _date_field(
        "Date paid",
        what="the date the claim was paid",
        future="The date paid cannot be in the future",
    )


class PaymentForm(MoneyInputMixin, forms.ModelForm):
    money_fields = ("amount",)

    connector = ConnectorChoiceField(
        label="Connector",
        queryset=None,
        empty_label="Choose a connector",
        error_messages={
            "required": "Choose the connector",
            "invalid_choice": "Choose a connector from the list",
        },
    )
    amount = _money_field("Amount (£)", what="the amount", max_value=Decimal("99999999"))
    period_start = _date_field("Period from", what="the start of the period paid for")
    period_end = _date_field("Period to", what="the end of the period paid for")
    paid_on = _date_field("Date paid", what="the date paid")

    class Meta:
        model = Payment
        fields = (
            "connector",
            "amount",
            "period_start",
            "period_end",
            "paid_on",
            "method",
            "reference",
            "benefits_considerations",
        )
        labels = {
            "method": "How it was paid",
            "reference": "Payment reference",
            "benefits_considerations": "Benefits considerations",
        }
        help_texts = {
            "reference": "For example the payroll or bank reference",
            "benefits_considerations": "For example permitted-work earnings limits, or a "
            "reminder to tell the DWP. Only the connector and their coordinators see this.",
        }
        widgets = {
            "method": forms.RadioSelect,
            "benefits_considerations": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "method": {
                "required": "Choose how it was paid",
                "invalid_choice": "Choose how it was paid from the list",
            },
            "reference": {"max_length": "The reference must be 100 characters or fewer"},
        }

    def __init__(self, *args, connectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connector"].queryset = connectors
        self.fields["method"].choices = Payment.Method.choices

    def _post_clean(self):
        # The action validates the model (with the connector's site) and saves it.
        pass

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return data

    def action_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "connector"}


class ExportForm(forms.Form):
    start = _date_field("From", what="the first day of the export")
    end = _date_field("To", what="the last day of the export")
    format = forms.ChoiceField(
        label="File format",
        choices=[("xlsx", "Excel spreadsheet (XLSX)"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the file format"},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day")
        elif start and end and (end - start).days > 3 * 366:
            self.add_error("end", "Export at most three years at a time")
        return data
