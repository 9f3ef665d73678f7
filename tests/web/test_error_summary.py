"""The NHS error summary pattern on every form page: the summary's links go to fields that are
on the page, and a page that comes back with errors starts its <title> with "Error: " (screen
readers announce the title first, so the problem is heard at once)."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

import core20
from tests.conftest import sign_in

DASH = "\N{EN DASH}"
SUMMARY = re.compile(r'\{% include "includes/error_summary\.html" with form=([\w.]+)')
TITLE = re.compile(r"\{% block title %\}(.*?)\{% endblock", re.S)
COMMENT = re.compile(r"\{% comment %\}.*?\{% endcomment %\}", re.S)


class GroupedForm(forms.Form):
    icbs = forms.MultipleChoiceField(
        label="ICBs",
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("North region", [("n1", "North A"), ("n2", "North B")]),
            ("South region", [("s1", "South A")]),
        ],
    )
    travel = forms.ChoiceField(
        label="How did you travel?",
        widget=forms.RadioSelect,
        choices=[("walk", "On foot"), ("bus", "By bus")],
    )


def test_the_summary_links_to_the_first_option_even_when_options_are_grouped():
    form = GroupedForm(data={})
    assert not form.is_valid()
    summary = render_to_string("includes/error_summary.html", {"form": form})
    fields = str(form)
    # Grouped options are numbered within their group: the first box is id_icbs_0_0.
    assert '<a href="#id_icbs_0_0">This field is required.</a>' in summary
    assert 'id="id_icbs_0_0"' in fields
    assert '<a href="#id_travel_0">This field is required.</a>' in summary
    assert 'id="id_travel_0"' in fields


def test_every_page_with_an_error_summary_says_error_in_its_title_and_shows_it_first():
    """Each template that shows a form's error summary also puts "Error: " before its title
    when that form has errors, and shows the summary at the top, before the <h1>."""
    missing, below = [], []
    for path in sorted(Path(core20.__file__).parent.rglob("templates/**/*.html")):
        source = COMMENT.sub("", path.read_text(encoding="utf-8"))
        forms = SUMMARY.findall(source)
        if not forms or path.name == "error_summary.html":
            continue
        title = TITLE.search(source)
        text = title.group(1) if title else ""
        name = str(path.relative_to(Path(core20.__file__).parent))
        if "Error: " not in text or not all(f"{form}.errors" in text for form in forms):
            missing.append(name)
        h1 = source.find("<h1")
        if h1 != -1 and SUMMARY.search(source).start() > h1:
            below.append(name)
    assert not missing, "error summary without 'Error: ' in the <title>:\n" + "\n".join(missing)
    assert not below, "error summary below the <h1>:\n" + "\n".join(below)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "title"),
    [("accounts:login", "Sign in"), ("accounts:password-reset", "Reset your password")],
)
def test_signed_out_forms_sent_empty_say_error_in_the_title(client, route, title):
    html = client.post(reverse(route), {}).content.decode()
    assert "There is a problem" in html
    assert f"<title>Error: {title} {DASH} Core20 Connect</title>" in html


@pytest.mark.django_db
def test_an_api_token_without_a_name_says_error_in_the_title(client, make_user):
    sign_in(client, make_user("host_coordinator"))
    html = client.post(reverse("accounts:tokens"), {"name": ""}).content.decode()
    assert "There is a problem" in html
    assert f"<title>Error: API tokens {DASH} Core20 Connect</title>" in html


@pytest.mark.django_db
def test_audit_log_filters_with_impossible_dates_are_explained_at_the_top(client, make_user):
    sign_in(client, make_user("site_lead"))
    html = client.get(
        reverse("audit:log"), {"date_from": "not a date", "date_to": "2026-02-31"}
    ).content.decode()
    assert f"<title>Error: Audit log {DASH} Core20 Connect</title>" in html
    assert html.index("There is a problem") < html.index("<h1>Audit log</h1>")
    # Each message says which date is wrong (not "Enter a valid date." twice).
    assert '<a href="#id_date_from">Enter the &#x27;From&#x27; date as a real date' in html
    assert '<a href="#id_date_to">Enter the &#x27;To&#x27; date as a real date' in html
