"""Each activity's link in the list says which activity it is, not only its date: two activities
on one day would otherwise be two identical "15 Oct 2026" links (WCAG 2.4.4)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.engagement.helpers import activity

pytestmark = pytest.mark.django_db


def test_activity_links_name_the_type_and_site(client, make_user, site):
    lead = make_user("site_lead")
    first = activity(site, lead, date=date(2026, 10, 15), kind="outreach")
    second = activity(site, lead, date=date(2026, 10, 15), kind="event")
    sign_in(client, lead)
    html = client.get(reverse("engagement:activity-list")).content.decode()
    for a, kind in ((first, "Outreach"), (second, "Event")):
        assert (
            f'<a href="{a.get_absolute_url()}">15 Oct 2026<span class="nhsuk-u-visually-hidden">'
            f": {kind} at {site.name}</span></a>"
        ) in html
