"""Recording an insight with no connection, server side: the API the offline form syncs
to stores a uuid once (the same person's repeat gets the stored insight; anyone else's uuid
is refused), who may post, the page form's own uuid, and the insights service worker."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from core20.accounts.roles import ROLES
from core20.engagement.models import Activity
from core20.insights.models import Insight, Quote
from tests.conftest import sign_in
from tests.engagement import helpers as activities
from tests.factories import OrganisationFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db

API = "/api/v1/insights"
MAY_RAISE = {"national_admin", "site_lead", "host_coordinator", "connector"}


def _payload(site, **more) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "site": site.slug,
        "kind": "barrier",
        "summary": "The bus stops before the clinic opens",
        "people_count": 6,
        **more,
    }


def _post(client, payload):
    return client.post(API, payload, content_type="application/json")


def test_the_same_uuid_twice_stores_one_insight_with_its_quote(client, site, make_user):
    connector = make_user("connector")
    sign_in(client, connector)
    payload = _payload(
        site, quote="I walk an hour", quote_consent=True, quote_public=True, themes=[]
    )

    first = _post(client, payload)
    again = _post(client, payload)

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["uuid"] == payload["uuid"]
    insight = Insight.objects.get()
    assert str(insight.uuid) == payload["uuid"] and insight.raised_by == connector
    quote = Quote.objects.get()
    assert quote.text == "I walk an hour" and quote.consent_public


def test_a_repeat_is_answered_even_if_it_would_now_be_refused(client, site, make_user):
    """The stored insight is the answer: a queued copy is not checked again (a theme
    retired since it was saved does not make the phone keep it forever)."""
    sign_in(client, make_user("connector"))
    payload = _payload(site)
    assert _post(client, payload).status_code == 201
    repeat = _post(client, {**payload, "themes": ["No such theme"]})
    assert repeat.status_code == 200 and Insight.objects.count() == 1


def test_someone_elses_uuid_is_refused_and_tells_nothing(client, site, other_site, make_user):
    first, second = make_user("connector"), make_user("connector")
    sign_in(client, first)
    payload = _payload(site, summary="Only mine")
    assert _post(client, payload).status_code == 201

    sign_in(client, second)
    refused = _post(client, {**payload, "summary": "Theirs"})
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"] == "uuid" and "Only mine" not in refused.content.decode()
    assert list(Insight.objects.values_list("summary", flat=True)) == ["Only mine"]

    # The same person's uuid sent for another site is refused too (a national admin may
    # record at both).
    admin = make_user("national_admin")
    sign_in(client, admin)
    mine = _payload(site)
    assert _post(client, mine).status_code == 201
    elsewhere = _post(client, {**mine, "site": other_site.slug})
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "uuid"
    assert Insight.objects.count() == 2


@pytest.mark.parametrize("role", sorted(ROLES))
def test_who_may_post_an_insight(client, site, make_user, role):
    sign_in(client, make_user(role))
    response = _post(client, _payload(site))
    if role in MAY_RAISE:
        assert response.status_code == 201
        assert Insight.objects.get().site == site
    else:
        assert response.status_code == 403
        assert not Insight.objects.exists()


def test_not_at_someone_elses_site_nor_signed_out(client, site, other_site, make_user):
    assert _post(client, _payload(site)).status_code == 401
    sign_in(client, make_user("connector"))
    assert _post(client, _payload(other_site)).status_code == 403
    assert not Insight.objects.exists()


def test_organisations_and_the_source_activity_come_from_the_site(
    client, site, other_site, make_user
):
    connector, lead = make_user("connector"), make_user("site_lead")
    ours = OrganisationFactory()
    helpers.body(site, lead, organisation=ours, name="Our PCN")
    stranger = OrganisationFactory()
    mine = activities.activity(site, recorded_by=connector)
    colleagues = activities.activity(site, recorded_by=make_user("connector"))
    sign_in(client, connector)

    wrong_org = _post(client, _payload(site, organisations=[stranger.slug]))
    assert wrong_org.status_code == 422
    assert wrong_org.json()["errors"][0]["field"] == "organisations"
    wrong_activity = _post(client, _payload(site, source_activity=str(colleagues.uuid)))
    assert wrong_activity.status_code == 422
    assert wrong_activity.json()["errors"][0]["field"] == "source_activity"
    assert not Insight.objects.exists()

    made = _post(client, _payload(site, organisations=[ours.slug], source_activity=str(mine.uuid)))
    assert made.status_code == 201
    insight = Insight.objects.get()
    assert list(insight.organisations.all()) == [ours]
    assert insight.source_activity == mine


def test_a_double_submit_on_the_page_stores_once(client, site, make_user):
    sign_in(client, make_user("connector"))
    url = reverse("insights:insight-create", args=[site.slug])
    page = client.get(url).content.decode()
    (made,) = re.findall(r'<input type="hidden" name="uuid" value="([^"]+)"', page)
    form = {"uuid": made, "kind": "idea", "summary": "A Saturday clinic", "people_count": "4"}

    first = client.post(url, form, follow=True)
    second = client.post(url, form, follow=True)

    insight = Insight.objects.get()
    assert str(insight.uuid) == made
    assert "The insight has been recorded" in first.content.decode()
    assert "This insight was already recorded" in second.content.decode()
    assert second.redirect_chain[-1][0] == insight.get_absolute_url()
    # A new page, a new uuid.
    again = client.get(url).content.decode()
    assert made not in again


def test_someone_elses_uuid_on_the_page_is_a_problem_at_the_top(client, site, make_user):
    taken = helpers.insight(site, make_user("site_lead"), uuid=uuid.uuid4())
    sign_in(client, make_user("connector"))
    url = reverse("insights:insight-create", args=[site.slug])
    form = {"uuid": str(taken.uuid), "kind": "idea", "summary": "Mine", "people_count": "4"}
    page = client.post(url, form).content.decode()
    assert "nhsuk-error-summary" in page
    assert "already recorded by someone else" in page and "Uuid" not in page
    assert Insight.objects.count() == 1


def test_the_form_tells_the_offline_script_how_to_send_it(client, site, make_user):
    connector = make_user("connector")
    activities.activity(site, recorded_by=connector)
    sign_in(client, connector)
    page = client.get(reverse("insights:insight-create", args=[site.slug])).content.decode()
    assert "js/offline-form.js" in page
    (form,) = re.findall(r"<form method=\"post\" novalidate data-offline[^>]*>", page)
    attributes = {
        name: value.replace("&quot;", '"')
        for name, value in re.findall(r'(data-[a-z-]+)="([^"]*)"', form)
    }
    assert attributes["data-sw-url"] == "/insights/sw.js"
    assert attributes["data-api-url"] == API
    assert attributes["data-offline-queue"] == f"core20.insights.queue.{connector.pk}"
    body = json.loads(attributes["data-offline-body"])
    assert body["fixed"] == {"site": site.slug}
    messages = json.loads(attributes["data-offline-messages"])
    assert messages["kept_one"] == "Saved on this phone. It will be sent when you are back online."
    # Choices carry the names the API takes (codes, slugs, uuids), not database ids.
    mine = Activity.objects.get()
    assert f'value="{mine.uuid}"' in page


def test_the_service_worker_keeps_every_sites_form(client, site):
    response = client.get(reverse("insights:service-worker"))
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("text/javascript")
    assert "core20-insights-" in body and "js/offline-form.js" in body
    (pattern,) = re.findall(r'const PAGES = new RegExp\("([^"]+)"\);', body)
    # As the browser reads the string (escapejs writes \u002D for "-" and so on).
    pattern = re.sub(r"\\u([0-9A-F]{4})", lambda m: chr(int(m[1], 16)), pattern)
    assert re.match(pattern, f"/insights/sites/{site.slug}/new/")
    assert not re.match(pattern, f"/insights/sites/{site.slug}/themes/")


def test_the_page_takes_choices_by_the_names_the_api_uses(client, site, make_user):
    connector, lead = make_user("connector"), make_user("site_lead")
    ours = OrganisationFactory()
    helpers.body(site, lead, organisation=ours, name="Our PCN")
    heard_at = activities.activity(site, recorded_by=connector)
    hypertension, _smi, coastal = activities.areas()
    sign_in(client, connector)
    response = client.post(
        reverse("insights:insight-create", args=[site.slug]),
        {
            "kind": "barrier",
            "summary": "Letters only in English",
            "people_count": "3",
            "clinical_areas": [hypertension.code],
            "communities": [coastal.code],
            "themes": ["Transport and travel"],
            "organisations": [ours.slug],
            "source_activity": str(heard_at.uuid),
        },
    )
    insight = Insight.objects.get()
    assert response.status_code == 302
    assert list(insight.clinical_areas.all()) == [hypertension]
    assert list(insight.communities.all()) == [coastal]
    assert [t.name for t in insight.themes.all()] == ["Transport and travel"]
    assert list(insight.organisations.all()) == [ours]
    assert insight.source_activity == heard_at


def test_the_people_count_is_a_numeric_text_input(client, site, make_user):
    """As the design systems advise: a number input changes its value when the page scrolls
    over it. The phone still shows the numeric keypad."""
    sign_in(client, make_user("connector"))
    html = client.get(reverse("insights:insight-create", args=[site.slug])).content.decode()
    field = re.search(r'<input[^>]*name="people_count"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field
