"""A person whose connector role at a site has ended keeps their connector record, and sees
it on their connector home, but the activities and insights they recorded there are no longer
shown to them (engagement and insights access rules). Their home used to leave those cards
out without a word; it now says plainly that their role has ended and whom to contact
(core20.network.home.role_ended)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core20.accounts import actions as account_actions
from core20.accounts.models import Membership
from core20.accounts.roles import Connector as ConnectorRole
from core20.network.home import Contact, role_ended
from core20.network.models import Connector
from tests.conftest import client_for
from tests.engagement.helpers import activity
from tests.insights import helpers as insights
from tests.network.home_panels import HOME, as_text

pytestmark = pytest.mark.django_db

NOTICE = "Your community connector role at Home Site has ended"


@pytest.fixture
def me(site, people):
    return Connector.objects.create(
        site=site, user=people["connector"], name="Con Nector", status=Connector.Status.ACTIVE
    )


def _end_role(people, site) -> None:
    membership = Membership.objects.get(
        user=people["connector"], role=ConnectorRole.key, site=site, ended_at__isnull=True
    )
    account_actions.revoke_role(membership=membership, by=people["host"])


def _home(user) -> str:
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    return as_text(response.content.decode())


def test_a_former_connector_is_told_their_role_ended_and_whom_to_contact(site, people, me):
    connector = people["connector"]
    activity(site, connector)
    insights.insight(site, connector, summary="The bus to the clinic stopped running.")
    _end_role(people, site)

    text = _home(connector)

    assert NOTICE in text
    assert "You can no longer record activities or insights for Home Site" in text
    # The site's host coordinator, with their email to write to.
    host = people["host"]
    assert f"contact: Hal Host: {host.email}" in text
    # Their records are still there; the cards of what they may no longer see are not.
    assert "Your training" in text and "Your hours and expenses" in text
    assert "Insights you raised" not in text and "Your activities" not in text


def test_a_current_connector_gets_no_notice(site, people, me):
    text = _home(people["connector"])

    assert NOTICE not in text
    assert "Insights you raised" in text


def test_the_site_leads_are_the_contacts_where_there_is_no_host_coordinator(
    site, people, me, make_user
):
    _end_role(people, site)
    Membership.objects.filter(user=people["host"]).update(ended_at=timezone.now())
    second_lead = make_user("site_lead", full_name="Anna Lead")

    contacts = role_ended(people["connector"], [me])

    assert contacts == {
        me.pk: [
            Contact("Anna Lead", second_lead.email),
            Contact("Lee Lead", people["lead"].email),
        ]
    }
    text = _home(people["connector"])
    assert "contact one of these people: Anna Lead" in text


def test_current_roles_cost_no_query(site, people, me):
    user = people["connector"]
    assert user.cached_memberships  # loaded once per request, before the page asks

    with CaptureQueriesContext(connection) as queries:
        assert role_ended(user, [me]) == {}

    assert len(queries) == 0


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator"])
def test_someone_with_another_current_role_at_the_site_gets_no_notice(
    site, people, make_user, role
):
    # A site lead (or host coordinator) who was also a connector there: their connector
    # role and record have ended, but they have not left the site.
    staff = make_user(role, full_name="Sam Staff")
    account_actions.grant_role(user=staff, role=ConnectorRole.key, site=site, by=people["admin"])
    record = Connector.objects.create(
        site=site, user=staff, name="Sam Staff", status=Connector.Status.LEFT
    )
    account_actions.revoke_role(
        membership=Membership.objects.get(user=staff, role=ConnectorRole.key, site=site),
        by=people["admin"],
    )
    staff.forget_memberships()

    assert role_ended(staff, [record]) == {}
    text = _home(staff)
    assert "Your connector home" in text and "Left" in text
    assert "Your community connector role at Home Site has ended" not in text


def test_a_role_elsewhere_does_not_hide_the_notice(site, other_site, people, me):
    # Their new role at another site does not mean they are still at this one.
    _end_role(people, site)
    account_actions.grant_role(
        user=people["connector"], role="community_member", site=other_site, by=people["admin"]
    )

    assert NOTICE in _home(people["connector"])
