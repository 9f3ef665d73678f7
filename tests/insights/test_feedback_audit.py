"""Recording feedback to the community shows in the audit log as the feedback it is, created
and naming its insight, not as the insight being created again."""

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from tests.conftest import client_for, page_html
from tests.insights import helpers

pytestmark = pytest.mark.django_db


def test_feedback_is_logged_as_new_feedback_about_its_insight(make_user, site):
    lead = make_user("site_lead")
    insight = helpers.insight(site, make_user("connector"))
    response = client_for(lead).post(
        reverse("insights:feedback-create", args=[insight.pk]),
        {"given_on": "2026-03-02", "channel": "newsletter", "summary": "Told the group"},
    )
    assert response.status_code == 302
    feedback = insight.feedback.get()

    event = AuditEvent.objects.get(object_type="insights.Feedback")
    assert (event.verb, event.object_id, event.site_id) == ("create", str(feedback.pk), site.pk)
    assert event.changes["summary"] == [None, "Told the group"]
    # The insight was created once: when it was raised.
    assert AuditEvent.objects.filter(object_type="insights.Insight", verb="create").count() == 1

    log = page_html(lead, reverse("audit:log"))
    assert (
        "Created: Feedback to the community: Newsletter on 2 March 2026 — "
        f"About insight {insight.pk} (Barrier: People cannot get through on the phone at 8am.)"
    ) in log
    assert log.count("Created: Barrier: People cannot get through") == 1
