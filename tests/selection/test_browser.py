"""The selection journey in Chromium, with an axe (WCAG 2.2 AA) check of every page visited:
an applicant creates an account and submits an application, two panel members score it, a
national admin selects it, and the site exists with the application's details."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core20.places.models import ICB
from core20.programme.models import Site
from core20.selection.forms import ApplicantAccountForm
from core20.selection.models import Application, Call, Criterion, Question
from tests.browser.conftest import sign_in_browser, signed_in_as
from tests.selection import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "connectors-for-stafford-2026"


@pytest.fixture
def call(reference_data):
    from core20.programme.models import Wave

    wave = Wave.objects.order_by("-number").first()
    call = Call.objects.create(
        wave=wave,
        title="Wave 4 expressions of interest",
        summary="Integrated care systems and places can apply to join wave 4.",
        status=Call.Status.PUBLISHED,
        opens_on=helpers.today() - timedelta(days=7),
        closes_on=helpers.today() + timedelta(days=21),
    )
    helpers.store_pack(call)
    Question.objects.create(
        call=call,
        position=1,
        text="Which communities will your connectors come from?",
        guidance="Say how you know these communities.",
        word_limit=12,
    )
    Question.objects.create(call=call, position=2, text="How will you involve the VCSE sector?")
    Criterion.objects.create(call=call, position=1, name="Community-centred", weight=2, max_score=5)
    Criterion.objects.create(call=call, position=2, name="Deliverable", weight=1, max_score=5)
    return call


def score(page, live_server, check, member, call, values):
    sign_in_browser(page, live_server, member.email, check=check)
    check(page)  # the home page
    page.goto(f"{live_server.url}/selection/panel/")
    check(page)
    page.get_by_role("link", name=call.title, exact=True).click()
    check(page)
    page.get_by_role(
        "link", name="Staffordshire and Stoke-on-Trent ICS, Cannock Chase", exact=True
    ).click()
    check(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Score this application")
    for name, value in values.items():
        page.get_by_label(f"Score for {name}").fill(str(value))
    page.get_by_label("Overall comments").fill(f"Scored by {member.full_name}")
    page.get_by_role("button", name="Submit scores").click()
    check(page)
    # The only application scored: back to the member's list, which says so and links to
    # the other members' scores.
    expect(page.get_by_text("You have no more applications to score")).to_be_visible()
    page.get_by_role("link", name="See the other members' scores").click()
    check(page)
    expect(page.get_by_role("heading", name="The panel's scores")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    check(page)


def test_apply_score_select_and_the_site_exists(
    page, live_server, check, call, make_user, monkeypatch
):
    monkeypatch.setattr(ApplicantAccountForm, "MIN_SECONDS", 0)
    first = make_user("panel_member", full_name="Vera VCSE")
    second = make_user("panel_member", full_name="Lou Lived-Experience")
    helpers.appoint(call, first, "vcse")
    helpers.appoint(call, second, "lived_experience")
    admin = make_user("national_admin", full_name="Ada Admin")

    # ---- the applicant ----
    page.goto(f"{live_server.url}/selection/")
    check(page)
    page.get_by_role("link", name=call.title, exact=True).click()
    check(page)
    expect(page.get_by_role("link", name="Download the prior information pack")).to_be_visible()
    page.get_by_role("link", name="Create an applicant account").click()
    check(page)
    page.get_by_label("Full name").fill("Sam Stafford")
    page.get_by_label("Email address").fill("sam@staffordshire.example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    check(page)
    expect(page.get_by_text("Your account has been created")).to_be_visible()
    page.get_by_role("button", name="Start your application").click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your expression of interest")

    page.get_by_label("Organisation applying").fill(
        "NHS Staffordshire and Stoke-on-Trent Integrated Care Board"
    )
    page.get_by_label("Place", exact=True).check()
    page.get_by_label("Integrated care system (ICS)").fill("Staffordshire and Stoke-on-Trent ICS")
    page.get_by_label("Place (optional)").fill("Cannock Chase")
    page.get_by_label("Midlands", exact=True).check()
    page.get_by_label("Staffordshire and Stoke-on-Trent", exact=True).check()
    page.get_by_label("Summary of your proposal").fill(
        "Connectors in Cannock Chase working on hypertension and cancer."
    )
    page.get_by_label("Hypertension case-finding and lipid management").check()
    page.get_by_label("Early cancer diagnosis").check()
    page.get_by_label("Coastal communities with pockets of hidden deprivation").check()
    page.get_by_label("Contact name").fill("Sam Stafford")
    page.get_by_label("Contact email address").fill("sam@staffordshire.example.org")
    page.get_by_label("1. Which communities").fill(
        "Families in the most deprived wards of Cannock, Hednesford, Rugeley and beyond them."
    )
    page.get_by_role("button", name="Save and come back later").click()
    check(page)
    expect(page.get_by_text("Your application has been saved as a draft.")).to_be_visible()
    page.get_by_role("link", name=call.title, exact=True).click()
    check(page)

    # Too long for question 1, and question 2 unanswered: refused, with clear messages.
    page.get_by_role("button", name="Submit application").click()
    check(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(
        "Your answer to question 1 must be 12 words or fewer. It has 13 words."
    )
    expect(summary).to_contain_text("Enter an answer to question 2")
    summary.get_by_role("link", name="Enter an answer to question 2").click()
    expect(page.get_by_label("2. How will you involve")).to_be_focused()
    page.get_by_label("1. Which communities").fill(
        "Families in the most deprived wards of Cannock, Hednesford and Rugeley."
    )
    page.get_by_label("2. How will you involve").fill("A VCSE host organisation.")
    page.get_by_role("button", name="Submit application").click()
    check(page)
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Your application has been submitted."
    )
    expect(page.locator("main .nhsuk-tag").first).to_have_text("Submitted")
    page.get_by_role("button", name="Sign out").click()
    check(page)

    # ---- two panel members score it, once the call has closed ----
    helpers.close(call)
    score(page, live_server, check, first, call, {"Community-centred": 4, "Deliverable": 3})
    score(page, live_server, check, second, call, {"Community-centred": 2, "Deliverable": 5})

    # ---- the national admin selects it ----
    signed_in_as(page, live_server, admin)
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/moderation/")
    check(page)
    # Totals 2×4 + 3 = 11 and 2×2 + 5 = 9: mean 10; both criteria differ by 2 points.
    expect(page.get_by_text("Mean weighted total 10.00 out of 15.")).to_be_visible()
    expect(page.get_by_text("Differs by 2")).to_have_count(2)
    page.get_by_role("link", name="Make a decision").click()
    check(page)
    # The decision is made with the panel's scores in view.
    expect(page.get_by_text("Mean weighted total 10.00 out of 15.")).to_be_visible()
    page.get_by_label("Selected", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    check(page)
    expect(page.get_by_role("table", name="Scores for")).to_be_visible()
    letter = page.get_by_label("Feedback letter")
    expect(letter).to_have_value(re.compile(r"^Dear Sam Stafford,.*Decision: Selected", re.S))
    letter.fill(letter.input_value().replace("[Add the panel's feedback here]", "A strong bid."))
    page.get_by_role("button", name="Confirm decision and send letter").click()
    check(page)
    expect(page.get_by_text("The decision has been recorded")).to_be_visible()
    page.get_by_role(
        "link", name="Staffordshire and Stoke-on-Trent ICS, Cannock Chase", exact=True
    ).click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Staffordshire and Stoke-on-Trent ICS, Cannock Chase"
    )

    # ---- the site carries the application's details ----
    site = Site.objects.get(name="Staffordshire and Stoke-on-Trent ICS, Cannock Chase")
    assert site.wave == call.wave and site.status == Site.Status.SELECTED
    assert site.kind == Site.Kind.PLACE and site.place == "Cannock Chase"
    assert [r.name for r in site.regions.all()] == ["Midlands"]
    assert list(site.icbs.all()) == [ICB.objects.get(code="E54000010")]
    assert site.summary == "Connectors in Cannock Chase working on hypertension and cancer."
    assert {a.code for a in site.focus_areas.all()} == {"hypertension", "early-cancer-diagnosis"}
    assert [g.code for g in site.communities.all()] == ["coastal-communities"]
    assert site.contact_email == "sam@staffordshire.example.org" and not site.published
    application = Application.objects.get()
    assert application.status == Application.Status.SELECTED and application.site == site
    assert "A strong bid." in application.decision_letter


def test_set_up_pages_and_error_states_are_accessible(
    page, live_server, check, call, make_user, monkeypatch, tmp_path
):
    """The pages the journey does not pass through, with their errors showing."""
    admin = make_user("national_admin", full_name="Ada Admin")
    helpers.appoint(call, make_user("panel_member", full_name="Vera VCSE"))
    applicant = make_user(None, full_name="Sam Stafford")
    draft = helpers.make_application(call, applicant)
    helpers.store_attachment(draft, name="Our plan.pdf")

    # The applicant's files page, with a spoofed file refused.
    signed_in_as(page, live_server, applicant)
    page.goto(f"{live_server.url}/selection/applications/{draft.pk}/files/")
    check(page)
    spoof = tmp_path / "notes.pdf"
    spoof.write_bytes(b"<html>not really a PDF</html>")
    page.get_by_label("Upload a file").set_input_files(str(spoof))
    page.get_by_role("button", name="Upload file").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The selected file is not a real PDF file"
    )
    page.goto(f"{live_server.url}/selection/applications/")
    check(page)

    # The national admin's set-up pages.
    signed_in_as(page, live_server, admin)
    page.goto(f"{live_server.url}/selection/calls/new/")
    check(page)
    page.get_by_role("button", name="Create call").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a title for the call")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/manage/")
    check(page)
    page.get_by_role("button", name="Add a question").click()
    check(page)
    page.get_by_role("button", name="Add question").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the question")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/manage/")
    check(page)
    page.get_by_role("button", name="Add a scoring criterion").click()
    check(page)
    page.get_by_label("Maximum score").fill("0")
    page.get_by_role("button", name="Add criterion").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Maximum score must be 1")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/manage/")
    check(page)
    page.get_by_role("link", name="Delete question 1").click()
    check(page)
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/edit/")
    check(page)
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/panel/")
    check(page)
    page.get_by_role("button", name="Appoint a panel member").click()
    check(page)
    page.get_by_role("button", name="Appoint panel member").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose what experience they bring to the panel"
    )
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/moderation/")
    check(page)

    # A decided application's pages, and the applicant's status page with the letter.
    submitted = helpers.make_application(call, make_user(None), status=Application.Status.SUBMITTED)
    from core20.selection import actions

    actions.decide_application(
        application=submitted,
        decision=Application.Status.NOT_SELECTED,
        letter="Dear applicant,\n\nNot this time.",
        by=admin,
    )
    page.goto(f"{live_server.url}/selection/reviews/{submitted.pk}/")
    check(page)
    page.goto(f"{live_server.url}/selection/reviews/{submitted.pk}/decision/")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Decision: Not selected")
    signed_in_as(page, live_server, submitted.applicant)
    page.goto(f"{live_server.url}{submitted.get_absolute_url()}")
    check(page)
    expect(page.get_by_text("Not this time.")).to_be_visible()

    # Signed out: the account page with errors, and a closed call.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/selection/account/new/")
    check(page)
    page.get_by_role("button", name="Create account").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    Call.objects.filter(pk=call.pk).update(closes_on=helpers.today() - timedelta(days=1))
    page.goto(f"{live_server.url}{call.get_absolute_url()}")
    check(page)
    expect(page.get_by_text("This call closed on")).to_be_visible()
