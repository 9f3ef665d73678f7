from django import forms

from core20.datapacks.actions import target_wards


class GenerateForm(forms.Form):
    area = forms.ChoiceField(
        label="Which area is the pack for?",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose the whole site or one of its target wards"},
    )
    contact = forms.CharField(
        label="Public contact",
        help_text="An email address or phone number people can use to get involved. It is "
        "printed in the pack, so use a team address, not a person's own",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All the site's target areas")] + [
            (w.code, f"{w.name or w.code} ward ({w.code})") for w in target_wards(site)
        ]
        self.fields["area"].initial = ""
