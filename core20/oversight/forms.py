"""Forms for funding, quarterly returns, return templates and the oversight filters.

The forms check and collect input, with a message for each mistake; core20.oversight.actions
checks again, saves and audits.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core20.oversight import periods, prefill
from core20.oversight.actions import ACCEPT, MAX_COMMENT, RETURN
from core20.oversight.answers import MAX_NARRATIVE, clean_answer, display
from core20.oversight.models import (
    FundingAllocation,
    QuarterlyReturn,
    ReturnQuestion,
    ReturnSection,
)
from core20.places.models import Region
from core20.programme.forms import FilterBoundField
from core20.programme.models import Wave
from core20.web.forms import DateInput, NHSBoundField

MAX_AMOUNT = Decimal("9999999999.99")


def _year_field(label="Financial year", *, required=True, around=None, **kwargs):
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=periods.year_choices(around, **kwargs),
        required=required,
        error_messages={
            "required": "Choose the financial year",
            "invalid_choice": "Choose a financial year from the list",
        },
    )


def _money_field(label, *, min_value, help_text="", what="The amount"):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=min_value,
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
        error_messages={
            "required": f"Enter {what.lower()} in pounds",
            "invalid": f"{what} must be a number in pounds, like 12500 or 12500.50",
            "min_value": (
                f"{what} must be at least £0.01" if min_value > 0 else f"{what} cannot be negative"
            ),
            "max_value": f"{what} is too large",
            "max_digits": f"{what} is too large",
            "max_whole_digits": f"{what} is too large",
            "max_decimal_places": f"{what} can only have pence, like 12500.50",
        },
    )


class MoneyInputMixin:
    """Accept "£12,500.50" as well as "12500.50"."""

    money_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data", args[0] if args else None)
        if data is not None and self.money_fields:
            data = data.copy()
            for name in self.money_fields:
                key = f"{kwargs.get('prefix')}-{name}" if kwargs.get("prefix") else name
                if key in data:
                    data[key] = data[key].replace("£", "").replace(",", "").strip()
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)


# ---- funding ----


class AllocationForm(MoneyInputMixin, forms.ModelForm):
    money_fields = ("amount",)

    financial_year = _year_field(before=6, after=1)
    amount = _money_field(
        "Amount (£)",
        min_value=Decimal("0.01"),
        help_text="In pounds, for example 75000",
        what="The amount",
    )

    class Meta:
        model = FundingAllocation
        fields = ("financial_year", "amount", "purpose", "notes")
        labels = {"purpose": "What the funding is for", "notes": "Notes"}
        help_texts = {
            "purpose": "For example Core programme funding, or Micro-grants top-up",
            "notes": "For example conditions, or when the money will be paid",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "purpose": {
                "required": "Enter what the funding is for",
                "max_length": "What the funding is for must be 200 characters or fewer",
            }
        }


class SpendForm(MoneyInputMixin, forms.Form):
    money_fields = ("amount",)

    financial_year = _year_field(before=6, after=0)
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=periods.QUARTER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the quarter",
            "invalid_choice": "Choose a quarter from the list",
        },
    )
    amount = _money_field(
        "Amount spent in the quarter (£)",
        min_value=Decimal("0"),
        help_text="Programme funding spent in these three months, in pounds. Enter 0 if none.",
        what="The amount spent",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example what the money was spent on, or why spend was lower than planned",
        error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
    )


class ConfirmDeleteForm(forms.Form):
    pass


# ---- quarterly returns ----


class ReturnStartForm(forms.Form):
    financial_year = _year_field(before=3, after=0)
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=periods.QUARTER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the quarter the return is for",
            "invalid_choice": "Choose a quarter from the list",
        },
    )


class AnswerBoundField(NHSBoundField):
    """Drafts may be saved unfinished, so no answer is required to save; the questions a
    site must answer before submitting are the ones not marked "(optional)"."""

    @property
    def is_optional(self) -> bool:
        return not self.field.question.required


class AnswersForm(forms.Form):
    """One field per active question of the return's template, laid out by section."""

    bound_field_class = AnswerBoundField

    def __init__(self, *args, questions, qreturn: QuarterlyReturn, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.qreturn = qreturn
        for question in questions:
            self.fields[question.key] = self._field(question, qreturn)
            self.initial[question.key] = qreturn.answers.get(question.key) or ""

    @staticmethod
    def _field(question: ReturnQuestion, qreturn: QuarterlyReturn) -> forms.Field:
        hints = [question.hint] if question.hint else []
        if question.prefill:
            figure = prefill.FIGURES.get(question.prefill)
            value = qreturn.prefilled.get(question.key)
            if value is not None:
                hints.append(
                    f"Prefilled from Core20 Connect: {display(question.kind, value)} "
                    f"({figure.capability if figure else 'platform data'}). Change it if it "
                    "is not right."
                )
            else:
                hints.append(f"{prefill.NOT_RECORDED}: enter the figure yourself.")
        if question.kind == ReturnQuestion.Kind.NARRATIVE:
            widget = forms.Textarea(attrs={"rows": 6})
        else:
            widget = forms.TextInput(
                attrs={
                    "inputmode": "numeric"
                    if question.kind == ReturnQuestion.Kind.NUMBER
                    else "decimal",
                    "class": "nhsuk-input--width-10",
                }
            )
        # Drafts may be saved unfinished: required questions are checked on submitting.
        field = forms.CharField(
            label=question.text,
            required=False,
            help_text=" ".join(hints),
            widget=widget,
            max_length=MAX_NARRATIVE if question.kind == ReturnQuestion.Kind.NARRATIVE else 40,
            strip=True,
            error_messages={
                "max_length": f"{question.text.rstrip('?')} must be "
                f"{MAX_NARRATIVE if question.kind == 'narrative' else 40:,} characters or fewer"
            },
        )
        field.question = question
        return field

    def clean(self):
        data = super().clean()
        for question in self.questions:
            if question.key in self.errors:
                continue
            try:
                data[question.key] = clean_answer(question, data.get(question.key))
            except ValidationError as exc:
                self.add_error(question.key, exc)
        return data

    def answers(self) -> dict:
        return {q.key: self.cleaned_data.get(q.key) for q in self.questions}

    def sections(self) -> list:
        grouped: list[tuple[ReturnSection, list]] = []
        for question in self.questions:
            if not grouped or grouped[-1][0].pk != question.section_id:
                grouped.append((question.section, []))
            grouped[-1][1].append(self[question.key])
        return grouped


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ACCEPT, "Accept the return"),
            (RETURN, "Return it to the site for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to accept the return or return it for changes",
            "invalid_choice": "Choose whether to accept the return or return it for changes",
        },
    )
    comment = forms.CharField(
        label="Comments for the site",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required if you return it: say what needs to change.",
        error_messages={"max_length": f"Comments must be {MAX_COMMENT:,} characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == RETURN and not data.get("comment"):
            self.add_error("comment", "Say what the site needs to change before you return it")
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Add a comment",
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Seen by the site's team and the national team.",
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Comments must be {MAX_COMMENT:,} characters or fewer",
        },
    )


class DueDateForm(forms.Form):
    due_on = forms.DateField(
        label="Due date",
        widget=DateInput,
        error_messages={
            "required": "Enter the date the return is due",
            "invalid": "Enter a real date, like 31 July 2025",
        },
    )


class ReturnListFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *QuarterlyReturn.Status.choices],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    wave = forms.ModelChoiceField(
        label="Wave",
        queryset=Wave.objects.none(),
        required=False,
        empty_label="Any wave",
        error_messages={"invalid_choice": "Choose a wave from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = Wave.objects.order_by("number", "pk")


# ---- templates ----


class SectionForm(forms.ModelForm):
    class Meta:
        model = ReturnSection
        fields = ("title", "description")
        labels = {"title": "Section heading", "description": "Introduction"}
        help_texts = {"description": "Shown under the heading in the return"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {
                "required": "Enter the section heading",
                "max_length": "The section heading must be 200 characters or fewer",
            }
        }


class QuestionForm(forms.ModelForm):
    prefill = forms.ChoiceField(
        label="Prefill from Core20 Connect",
        required=False,
        choices=prefill.PREFILL_CHOICES,
        help_text="For a figure: what the platform already holds, which the site can check "
        "and change",
        error_messages={"invalid_choice": "Choose a figure from the list"},
    )

    class Meta:
        model = ReturnQuestion
        fields = (
            "section",
            "key",
            "text",
            "hint",
            "kind",
            "prefill",
            "column_label",
            "required",
            "active",
        )
        labels = {
            "section": "Section",
            "key": "Key",
            "text": "Question",
            "hint": "Hint",
            "kind": "Type of answer",
            "column_label": "Column heading in the oversight table",
            "required": "Sites must answer this before they submit",
            "active": "Ask this question",
        }
        help_texts = {
            "key": "A short name for the answer in exports, like connectors_active. Lower-case "
            "letters, numbers, hyphens and underscores. It cannot be changed later.",
            "hint": "Shown under the question",
            "column_label": "For figures: a short heading, like Connectors active",
            "active": "Untick to stop asking it. Answers already given are kept.",
        }
        widgets = {
            "section": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "hint": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "section": {
                "required": "Choose the section the question is in",
                "invalid_choice": "Choose a section from the list",
            },
            "key": {
                "required": "Enter a key for the question",
                "invalid": "The key can only contain lower-case letters, numbers, hyphens and "
                "underscores",
                "max_length": "The key must be 60 characters or fewer",
            },
            "text": {
                "required": "Enter the question",
                "max_length": "The question must be 300 characters or fewer",
            },
            "kind": {"required": "Choose the type of answer"},
            "column_label": {"max_length": "The column heading must be 60 characters or fewer"},
        }

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = template.sections.order_by("position", "pk")
        self.fields["section"].empty_label = None
        self.fields["kind"].choices = ReturnQuestion.Kind.choices
        if self.instance.pk:
            del self.fields["key"]

    def clean_key(self):
        key = (self.cleaned_data.get("key") or "").strip().lower()
        return key


# ---- oversight filters ----


class OversightFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    GROUP_CHOICES = [("region", "NHS region"), ("wave", "Wave"), ("none", "No grouping")]

    region = forms.ModelChoiceField(
        label="NHS region",
        queryset=Region.objects.none(),
        required=False,
        empty_label="Any region",
        to_field_name="code",
        error_messages={"invalid_choice": "Choose an NHS region from the list"},
    )
    wave = forms.ModelChoiceField(
        label="Wave",
        queryset=Wave.objects.none(),
        required=False,
        empty_label="Any wave",
        error_messages={"invalid_choice": "Choose a wave from the list"},
    )
    year = forms.TypedChoiceField(
        label="Financial year for funding",
        coerce=int,
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Choose a financial year from the list"},
    )
    stale_days = forms.IntegerField(
        label="Call a site’s data stale after this many days without an update",
        required=False,
        min_value=1,
        max_value=3650,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "The number of days must be 1 or more",
            "max_value": "The number of days must be 3,650 or fewer",
        },
    )
    group = forms.ChoiceField(
        label="Group sites by",
        required=False,
        choices=GROUP_CHOICES,
        error_messages={"invalid_choice": "Choose how to group sites from the list"},
    )

    def __init__(self, *args, **kwargs):
        from core20.oversight.dashboard import default_stale_days

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")
        self.fields["wave"].queryset = Wave.objects.order_by("number", "pk")
        _offer_years(self)
        # The number of days the page uses when none is given, not an empty box.
        _show_default(self, "stale_days", default_stale_days())


def _show_default(form: forms.Form, name: str, value) -> None:
    """Show ``value``, what the page uses when the address gives none, in the field ``name``,
    whether or not the form was submitted with other filters."""
    form.fields[name].initial = value
    if form.is_bound and not form.data.get(name):
        form.data = form.data.copy()
        form.data[name] = str(value)


def _offer_years(form: forms.Form) -> None:
    """The financial years to choose from, with this one chosen when the address names none:
    the page then shows this year's funding, and the list must say so (a list with no
    choice made shows its first entry, next year, which the page is not showing)."""
    form.fields["year"].choices = periods.year_choices(before=6, after=1)
    _show_default(form, "year", periods.financial_year_of(periods.today()))


class FundingFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Choose a financial year from the list"},
    )
    region = OversightFilterForm.base_fields["region"]
    wave = OversightFilterForm.base_fields["wave"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")
        self.fields["wave"].queryset = Wave.objects.order_by("number", "pk")
        _offer_years(self)
