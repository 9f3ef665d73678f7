"""The activity pages: the form (error summary, counts only), own-only lists, editing,
the site dashboard's figures against hand-counted values, and bounded queries."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.engagement.models import Activity
from tests.conftest import sign_in
from tests.engagement import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_form_records_an_activity_and_says_counts_only(client, make_user, site):
    connector = make_user("connector")
    sign_in(client, connector)
    page = client.get(reverse("engagement:activity-new")).content.decode()
    assert "Do not write the names or details of anyone you met" in page
    response = client.post(
        reverse("engagement:activity-new"),
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "health_check",
            "people_reached": "9",
            "age_18_24": "4",
            "bp_checks_offered": "6",
            "uuid": "5b0e7a36-0c44-4d6e-9f54-6a1a0c9e2d11",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.breakdown == {"age": {"18_24": 4}} and activity.case_finding == {
        "bp_checks_offered": 6
    }
    # Sending the same form again (a double tap) stores nothing new.
    client.post(
        reverse("engagement:activity-new"),
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "health_check",
            "people_reached": "9",
            "uuid": "5b0e7a36-0c44-4d6e-9f54-6a1a0c9e2d11",
        },
    )
    assert Activity.objects.count() == 1


def test_form_errors_are_summarised_and_linked(client, make_user, site):
    sign_in(client, make_user("connector"))
    response = client.post(
        reverse("engagement:activity-new"),
        {"site": site.slug, "date": "", "people_reached": "5", "sex_female": "4", "sex_male": "3"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert '<a href="#id_date">Enter the date of the activity</a>' in page
    assert '<a href="#id_kind_0">Select the type of activity</a>' in page
    assert not Activity.objects.exists()
    # Once the fields parse, the action's cross-field rule shows on the first sex field.
    response = client.post(
        reverse("engagement:activity-new"),
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "event",
            "people_reached": "5",
            "sex_female": "4",
            "sex_male": "3",
        },
    )
    assert (
        '<a href="#id_sex_female">The numbers by sex add up to 7, more than the 5 people reached.'
        in response.content.decode()
    )


def test_connector_list_shows_only_their_own(
    client, make_user, site, django_assert_max_num_queries
):
    me = make_user("connector")
    for _ in range(30):
        helpers.activity(site, me, people_reached=77)
    helpers.activity(site, UserFactory(), people_reached=55)
    sign_in(client, me)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("engagement:activity-list")).content.decode()
    cell = 'aria-hidden="true">People reached </span>{}</td>'
    assert page.count(cell.format(77)) == 25  # the first page of 30
    assert cell.format(55) not in page


def test_editing_prefills_and_saves(client, make_user, site):
    me = make_user("connector")
    activity = helpers.activity(site, me, breakdown={"age": {"0_17": 3}})
    sign_in(client, me)
    page = client.get(reverse("engagement:activity-edit", args=[activity.pk])).content.decode()
    assert 'name="age_0_17" value="3"' in page
    client.post(
        reverse("engagement:activity-edit", args=[activity.pk]),
        {"site": site.slug, "date": "2026-03-05", "kind": "training", "people_reached": "4"},
    )
    activity.refresh_from_db()
    assert (activity.kind, activity.people_reached, activity.breakdown) == ("training", 4, {})


def test_site_dashboard_figures(client, make_user, site, other_site, django_assert_max_num_queries):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    helpers.activity(site, date=this_month, kind="outreach", people_reached=30, core20=True)
    helpers.activity(site, date=this_month, kind="event", people_reached=10, core20=False)
    helpers.activity(site, date=this_month, kind="outreach", people_reached=5)  # place unknown
    helpers.activity(site, date=date(2020, 6, 1), kind="event", people_reached=100, core20=True)
    helpers.activity(other_site, date=this_month, people_reached=999, core20=True)
    sign_in(client, make_user("site_lead"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("engagement:site-dashboard", args=[site.slug]))
    page = response.content.decode()
    assert '<dd class="nhsuk-summary-list__value" data-testid="total-activities">4</dd>' in page
    assert 'data-testid="total-people">145</dd>' in page
    # In Core20: 30 + 100 = 130 of the 140 people where the place is known.
    assert "130 of 140 where the place is known" in page
    assert "<svg" in page and 'role="img"' in page
    assert f"{this_month:%B %Y}</td>" in page
    assert "were reached in Core20 areas" in page and "(93%)" in page
    # Adding activities adds no queries.
    for _ in range(20):
        helpers.activity(site, date=this_month)
    with django_assert_max_num_queries(12):
        client.get(reverse("engagement:site-dashboard", args=[site.slug]))


def test_service_worker_is_served_for_the_activities_scope(client, db):
    response = client.get(reverse("engagement:service-worker"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert '"/activities/new/"' in body and "js/offline-form.js" in body
