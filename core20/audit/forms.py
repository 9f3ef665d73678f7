from django import forms

from core20.audit.display import object_type_choices
from core20.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label="Who", required=False, help_text="Part of a name or email address"
    )
    object_type = forms.ChoiceField(
        label="What kind of record",
        required=False,
        error_messages={"invalid_choice": "Choose a kind of record from the list"},
    )
    text = forms.CharField(label="Record", required=False, help_text="Part of the record's name")
    verb = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *AuditEvent.Verb.choices],
        error_messages={"invalid_choice": "Choose an action from the list"},
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the 'From' date as a real date, like 27/3/2025"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the 'To' date as a real date, like 27/3/2025"},
    )

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any kind"), *object_type_choices(object_types)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data
