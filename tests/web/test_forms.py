"""NHS form markup from the form renderer (settings.FORM_RENDERER) and the form includes."""

import ast
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import RequestFactory

import core20
from core20.web.forms import DateInput, NHSBoundField, NHSFormRenderer, sometimes_required


def tag(html: str, element: str, name: str, value: str | None = None) -> str:
    """The opening tag of the element with this name (and value), to check its attributes
    without depending on the order Django writes them in."""
    for match in re.finditer(rf"<{element}\b[^>]*>", html):
        if f'name="{name}"' in match.group(0) and (
            value is None or f'value="{value}"' in match.group(0)
        ):
            return match.group(0)
    raise AssertionError(f"no <{element} name={name!r}> in {html}")


DASH = "\N{EN DASH}"  # between the page and service names in <title>

CHOICES = [("walk", "On foot"), ("bus", "By bus")]


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on your badge")
    code = forms.CharField(
        label="ODS code",
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region"), ("n", "North")])
    travel = forms.ChoiceField(
        label="How did you travel?", choices=CHOICES, widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    agree = forms.BooleanField(label="I agree to the terms")
    start = forms.DateField(label="Start date", widget=DateInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.cleaned_data.get("name") == "Nobody":
            raise ValidationError("Those details do not match a connector")
        return self.cleaned_data


def test_the_settings_renderer_is_the_nhs_one():
    form = ExampleForm()
    assert isinstance(form.renderer, NHSFormRenderer)
    assert isinstance(form["name"], NHSBoundField)


def test_text_input_has_nhs_label_hint_and_input():
    html = str(ExampleForm()["name"].as_field_group())
    assert '<div class="nhsuk-form-group">' in html
    assert '<label class="nhsuk-label" for="id_name">Full name</label>' in html
    assert '<div class="nhsuk-hint" id="id_name_helptext">As it appears on your badge</div>' in html
    input_tag = tag(html, "input", "name")
    assert 'class="nhsuk-input"' in input_tag
    assert 'aria-describedby="id_name_helptext"' in input_tag


def test_optional_fields_say_so_and_widget_classes_are_kept():
    html = str(ExampleForm()["code"].as_field_group())
    assert "ODS code (optional)</label>" in html
    assert 'class="nhsuk-input nhsuk-input--width-10"' in html


def test_textarea_select_and_date_get_nhs_classes():
    form = ExampleForm()
    assert 'class="nhsuk-textarea"' in tag(str(form["notes"]), "textarea", "notes")
    assert 'class="nhsuk-select"' in tag(str(form["region"]), "select", "region")
    date = tag(str(form["start"]), "input", "start")
    assert 'type="date"' in date
    assert 'class="nhsuk-input"' in date


def test_radios_are_an_nhs_fieldset_with_legend():
    html = str(ExampleForm()["travel"].as_field_group())
    assert '<fieldset class="nhsuk-fieldset">' in html
    assert (
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">'
        "How did you travel?</legend>"
    ) in html
    assert '<div class="nhsuk-radios" data-module="nhsuk-radios">' in html
    assert html.count('<div class="nhsuk-radios__item">') == 2
    walk = tag(html, "input", "travel", "walk")
    assert 'type="radio"' in walk
    assert 'class="nhsuk-radios__input"' in walk
    assert 'id="id_travel_0"' in walk
    assert (
        '<label class="nhsuk-label nhsuk-radios__label" for="id_travel_0">On foot</label>' in html
    )


def test_checkbox_list_is_an_nhs_fieldset_described_by_its_hint():
    html = str(ExampleForm()["topics"].as_field_group())
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_topics_helptext">' in html
    assert '<div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">' in html
    assert (
        '<label class="nhsuk-label nhsuk-checkboxes__label" for="id_topics_1">By bus</label>'
        in html
    )
    assert 'class="nhsuk-checkboxes__input"' in tag(html, "input", "topics", "bus")


def test_single_checkbox_is_an_nhs_checkbox_item():
    html = str(ExampleForm()["agree"].as_field_group())
    assert '<div class="nhsuk-checkboxes__item">' in html
    assert 'class="nhsuk-checkboxes__input"' in tag(html, "input", "agree")
    assert (
        '<label class="nhsuk-label nhsuk-checkboxes__label" for="id_agree">'
        "I agree to the terms</label>"
    ) in html


def test_field_with_errors_shows_the_nhs_error_message():
    form = ExampleForm(data={})
    html = str(form["name"].as_field_group())
    assert '<div class="nhsuk-form-group nhsuk-form-group--error">' in html
    assert (
        '<span class="nhsuk-error-message" id="id_name_error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.</span>'
    ) in html
    name = tag(html, "input", "name")
    assert 'class="nhsuk-input nhsuk-input--error"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert 'aria-invalid="true"' in name
    assert 'class="nhsuk-select nhsuk-select--error"' in tag(
        str(form["region"]), "select", "region"
    )


def test_error_summary_links_each_error_to_its_field():
    form = ExampleForm(
        data={"name": "Nobody", "region": "n", "travel": "walk", "topics": ["bus"], "agree": "on"}
    )
    assert not form.is_valid()
    form.add_error("region", "Choose a region in England")
    form.add_error("travel", "Choose how you travelled")
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert (
        '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary" tabindex="-1">' in html
    )
    assert '<div role="alert">' in html
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in html
    assert "<li>Those details do not match a connector</li>" in html  # non-field error
    assert '<a href="#id_region">Choose a region in England</a>' in html
    assert '<a href="#id_travel_0">Choose how you travelled</a>' in html  # first radio


def test_error_summary_is_empty_without_errors():
    assert render_to_string("includes/error_summary.html", {"form": ExampleForm()}).strip() == ""


@pytest.mark.django_db
def test_form_page_renders_the_summary_heading_form_and_buttons():
    request = RequestFactory().post("/sites/new/")
    request.user = AnonymousUser()
    form = ExampleForm(data={"region": "n"})
    form.is_valid()
    response = render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add a connector",
            "intro": "Tell us about the connector.",
            "submit_label": "Save connector",
            "cancel_url": "/sites/",
            "breadcrumbs": [("Sites", "/sites/")],
        },
    )
    html = response.content.decode()
    assert f"<title>Error: Add a connector {DASH} Core20 Connect</title>" in html
    assert html.count("<h1") == 1
    assert html.index("There is a problem") < html.index("<h1>Add a connector</h1>")
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert (
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">'
        "Save connector</button>"
    ) in html
    assert '<a class="nhsuk-link" href="/sites/">Cancel</a>' in html
    assert '<nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">' in html
    assert '<input type="hidden" name="token"' in html


def test_a_field_required_only_in_some_cases_is_not_labelled_optional():
    class StageForm(forms.Form):
        reason = sometimes_required(
            forms.CharField(label="Reason", required=False, help_text="Needed when leaving")
        )

    html = str(StageForm()["reason"].as_field_group())
    assert ">Reason</label>" in html and "(optional)" not in html


def test_no_label_in_the_code_says_optional_itself():
    """The renderer adds "(optional)" to optional fields' labels, so a label that says it
    too reads "(optional) (optional)"."""
    found = []
    for path in Path(core20.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "label"
                and isinstance(node.value, ast.Constant)
                and "(optional)" in str(node.value.value)
            ):
                found.append(f"{path.relative_to(Path(core20.__file__).parent)}:{node.lineno}")
    assert found == []
