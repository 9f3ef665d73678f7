"""The pages: the public form and its spam checks, the inbox, what each role sees on a
connector's record, activation refused with what is missing, and a connector's own home."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from core20.network.forms import InterestForm
from core20.network.models import Connector, SupportNote
from tests.conftest import sign_in
from tests.network.conftest import complete_requirements

pytestmark = pytest.mark.django_db


def _started(seconds_ago: float) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=InterestForm.SALT)


def _interest(**extra) -> dict:
    return {
        "name": "Priya Shah",
        "email": "priya@example.org",
        "motivation": "I help my neighbours already",
        "languages": "English, Urdu",
        "started": _started(60),
        "website": "",
        **extra,
    }


def test_public_expression_of_interest_lands_in_the_inbox(client, site, client_as):
    url = reverse("network:interest", args=[site.slug])
    page = client.get(url)
    assert page.status_code == 200 and b'name="website"' in page.content
    response = client.post(url, _interest())
    assert response.status_code == 302
    assert response["Location"] == reverse("network:interest-sent", args=[site.slug])
    person = Connector.objects.get()
    assert (person.site, person.status, person.source) == (site, "interested", "interest_form")
    assert person.languages == ["English", "Urdu"]
    inbox = client_as("host").get(
        reverse("network:site-connectors", args=[site.slug]) + "?stage=interested"
    )
    assert b"Priya Shah" in inbox.content


@pytest.mark.parametrize(
    "extra",
    [{"website": "http://spam.example"}, {"started": "forged"}, {"started": None}],
)
def test_robots_are_turned_away(client, site, extra):
    data = _interest(**extra)
    if extra.get("started", "") is None:
        data["started"] = _started(0.5)  # sent too fast
    response = client.post(reverse("network:interest", args=[site.slug]), data)
    assert response.status_code == 200
    assert b"We could not send your form" in response.content
    assert not Connector.objects.exists()


def test_form_errors_use_the_error_summary(client, site):
    response = client.post(
        reverse("network:interest", args=[site.slug]),
        _interest(name="", email="", lived_experience="Carer"),
    )
    body = response.content.decode()
    assert "There is a problem" in body and "Enter your full name" in body
    assert "Enter an email address or a phone number" in body
    assert "Tick the box to agree" in body
    assert not Connector.objects.exists()


def test_inbox_has_a_fixed_number_of_queries(site, client_as, django_assert_max_num_queries):
    Connector.objects.bulk_create(
        Connector(site=site, name=f"Person {i}", email=f"p{i}@example.org") for i in range(30)
    )
    client = client_as("lead")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:site-connectors", args=[site.slug]))
    assert response.content.count(b"Person ") >= 30


def test_who_sees_lived_experience_and_support(site, recruit, client_as, people):
    recruit.lived_experience = "Long-term carer for my dad"
    recruit.lived_experience_consent = True
    recruit.save()
    SupportNote.objects.create(
        connector=recruit, kind="supervision", happened_on="2025-01-01", body="Private words"
    )
    url = recruit.get_absolute_url()
    host_page = client_as("host").get(url).content.decode()
    assert "Long-term carer for my dad" in host_page
    assert reverse("network:connector-support", args=[site.slug, recruit.pk]) in host_page
    for name in ("lead", "admin"):
        page = client_as(name).get(url).content.decode()
        assert "Long-term carer" not in page and "Private words" not in page
        assert reverse("network:connector-support", args=[site.slug, recruit.pk]) not in page
    support = reverse("network:connector-support", args=[site.slug, recruit.pk])
    assert "Private words" in client_as("host").get(support).content.decode()
    assert client_as("lead").get(support).status_code == 403


def test_making_active_too_early_lists_what_is_missing(site, recruit, client_as, people):
    url = reverse("network:connector-status", args=[site.slug, recruit.pk])
    response = client_as("host").post(url, {"status": "active"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "DBS check" in body and "Connector induction" in body
    complete_requirements(recruit, people["host"])
    response = client_as("host").post(url, {"status": "active"})
    assert response.status_code == 302
    recruit.refresh_from_db()
    assert recruit.status == "active"


def test_check_page_records_a_dbs_check(site, recruit, client_as):
    from core20.network.models import CheckType

    dbs = CheckType.objects.get(code="dbs")
    url = reverse("network:connector-check", args=[site.slug, recruit.pk, dbs.pk])
    response = client_as("lead").post(url, {"status": "clear"})
    assert "Enter the date the check was completed" in response.content.decode()
    response = client_as("lead").post(
        url, {"status": "clear", "completed_on": "2025-03-01", "reference": "001"}
    )
    assert response.status_code == 302
    check = recruit.checks.get()
    assert (check.status, str(check.expires_on)) == ("clear", "2028-03-01")


def test_connector_home_shows_only_their_own_record(site, people, client_as):
    mine = Connector.objects.create(site=site, name="Con Nector", user=people["connector"])
    Connector.objects.create(site=site, name="Somebody Else", email="else@example.org")
    page = client_as("connector").get(reverse("network:me")).content.decode()
    assert "Your connector home" in page and "Connector induction" in page
    assert "Somebody Else" not in page
    # Another connector's record is not theirs to add goals to; the coordinator pages are closed.
    assert client_as("connector").get(mine.get_absolute_url()).status_code == 403
    response = client_as("connector").post(
        reverse("network:me-goal-add", args=[mine.pk]), {"title": "Learn Makaton"}
    )
    assert response.status_code == 302
    assert "Learn Makaton" in client_as("connector").get(reverse("network:me")).content.decode()


def test_import_page_lists_row_errors(site, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", b"name,email\nAl,not-email\n", "text/csv")
    response = client_as("host").post(
        reverse("network:connector-import", args=[site.slug]), {"file": upload}
    )
    body = response.content.decode()
    assert "Nothing was imported" in body and "people.csv" in body and "not-email" not in body
    assert "Enter an email address like name@example.org" in body
    assert not Connector.objects.exists()


def test_connector_sees_their_own_lived_experience_on_their_home(site, people, client_as):
    Connector.objects.create(
        site=site,
        name="Con Nector",
        user=people["connector"],
        lived_experience="Grew up caring for my mum",
        lived_experience_consent=True,
    )
    assert (
        "Grew up caring for my mum"
        in client_as("connector").get(reverse("network:me")).content.decode()
    )
    # Nobody else's home shows it, not even a national admin's.
    assert "Grew up caring" not in client_as("admin").get(reverse("network:me")).content.decode()


def test_a_national_admin_adds_a_training_module_offered_to_every_site(client, make_user, site):
    from core20.audit.models import AuditEvent
    from core20.network.models import TrainingModule

    admin = make_user("national_admin")
    sign_in(client, admin)
    url = reverse("network:national-module-add")
    assert 'href="' + url + '"' in client.get(reverse("network:index")).content.decode()
    response = client.post(url, {"code": "mecc", "title": "Making Every Contact Count"})
    assert response.status_code == 302
    module = TrainingModule.objects.get(code="mecc")
    assert module.site is None and module.title == "Making Every Contact Count"
    assert AuditEvent.objects.filter(object_type="network.TrainingModule", verb="create").exists()
    # Every site's training page offers it.
    page = client.get(reverse("network:site-training", args=[site.slug])).content.decode()
    assert "Making Every Contact Count" in page
    again = client.post(url, {"code": "mecc", "title": "Again"}).content.decode()
    assert "There is already a module with this short name" in again


def _close(site) -> None:
    from core20.programme.models import Site

    Site.objects.filter(pk=site.pk).update(status=Site.Status.CLOSED)


def _assert_not_recruiting_page(response, site) -> None:
    body = response.content.decode()
    assert response.status_code == 410
    assert body.count("<h1") == 1
    assert f"{site.name} is not recruiting community connectors now" in body
    assert f'href="{reverse("programme:site-list")}"' in body and "Find another site" in body
    assert 'name="website"' not in body and 'name="motivation"' not in body  # no form


def test_a_closed_sites_form_is_not_shown(client, site):
    _close(site)
    response = client.get(reverse("network:interest", args=[site.slug]))
    _assert_not_recruiting_page(response, site)
    assert response["Cache-Control"] == "no-cache"  # the form comes back if the site reopens


def test_a_closed_site_accepts_no_expression_of_interest(
    client, site, django_capture_on_commit_callbacks
):
    from core20.audit.models import AuditEvent
    from core20.network.models import StatusChange

    _close(site)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("network:interest", args=[site.slug]), _interest())
    _assert_not_recruiting_page(response, site)
    assert not Connector.objects.exists() and not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(object_type="network.Connector").exists()
    assert callbacks == []  # no email to the person or the site


def test_a_closed_sites_thank_you_page_promises_nothing(client, site):
    _close(site)
    response = client.get(reverse("network:interest-sent", args=[site.slug]))
    _assert_not_recruiting_page(response, site)


@pytest.mark.parametrize("status", ["selected", "associate", "active"])
def test_every_other_site_still_takes_expressions_of_interest(client, site, status):
    from core20.programme.models import Site

    Site.objects.filter(pk=site.pk).update(status=status)
    url = reverse("network:interest", args=[site.slug])
    page = client.get(url)
    assert page.status_code == 200 and b'name="website"' in page.content
    assert client.post(url, _interest()).status_code == 302
    assert Connector.objects.get().site == site


def test_a_proposed_site_is_not_recruiting_yet(client, site, django_capture_on_commit_callbacks):
    """A site not selected yet has no host organisation whose coordinators would get in
    touch: its page does not ask for connectors, and its form says it is not recruiting yet
    (200, not the closed site's 410: the form comes once it is selected)."""
    from core20.programme.models import Site

    Site.objects.filter(pk=site.pk).update(status=Site.Status.PROPOSED)
    url = reverse("network:interest", args=[site.slug])
    assert f'href="{url}"' not in client.get(site.get_absolute_url()).content.decode()

    for response in (client.get(url), client.post(url, _interest())):
        body = response.content.decode()
        assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
        assert body.count("<h1") == 1
        assert f"{site.name} is not looking for community connectors yet" in body
        assert "it has not been selected for the programme yet" in body
        assert 'name="website"' not in body and 'name="motivation"' not in body
        assert "Find another site" in body
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url, _interest())
    assert not Connector.objects.exists() and callbacks == []

    Site.objects.filter(pk=site.pk).update(status=Site.Status.SELECTED)
    assert b'name="website"' in client.get(url).content


def test_a_closed_unpublished_site_stays_hidden_from_the_public(client, site, make_user):
    from core20.programme.models import Site

    Site.objects.filter(pk=site.pk).update(status=Site.Status.CLOSED, published=False)
    url = reverse("network:interest", args=[site.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, _interest()).status_code == 404
    # Those who may see the unpublished site are told it is not recruiting.
    sign_in(client, make_user("national_admin"))
    _assert_not_recruiting_page(client.post(url, _interest()), site)
    assert not Connector.objects.exists()
