from django import forms

from core20.datapacks.actions import CONTACT_MAX_LENGTH, contact_error
from core20.datapacks.areas import pack_areas


class GenerateForm(forms.Form):
    area = forms.ChoiceField(
        label="Which area is the pack for?",
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": "Choose all the site's target areas or one of the areas listed"
        },
    )
    contact = forms.CharField(
        label="Public contact",
        help_text="An email address, a UK phone number or a web address (starting https://) "
        "people can use to get involved. It is printed in the pack, so use the team's "
        "details, not a person's own",
        max_length=CONTACT_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": f"Public contact must be {CONTACT_MAX_LENGTH} characters or fewer"
        },
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All the site's target areas")] + [
            (area.code, area.choice_label) for area in pack_areas(site)
        ]
        self.fields["area"].initial = ""

    def clean_contact(self) -> str:
        # The same check as the action's, so that it shows with the form's other errors.
        contact = self.cleaned_data["contact"].strip()
        problem = contact_error(contact)
        if problem:
            raise forms.ValidationError(problem)
        return contact
