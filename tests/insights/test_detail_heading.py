"""An insight's page is headed with what it is and when it was raised ("Barrier raised on
3 November 2026"); the summary, in full, is the text under the heading. The heading used to
be the summary cut short, with the whole summary repeated right below it."""

import datetime

import pytest
from django.utils import timezone

from core20.insights.models import Insight
from tests.conftest import page_html
from tests.insights import helpers

pytestmark = pytest.mark.django_db

LONG = (
    "People in the Northfield flats cannot get through to the surgery on the phone at 8am, "
    "so they give up and go to A&E instead."
)


def test_the_heading_says_the_kind_and_date_and_the_summary_is_said_once(site, make_user):
    connector = make_user("connector")
    insight = helpers.insight(site, connector, kind=Insight.Kind.IDEA, summary=LONG)
    raised = timezone.make_aware(datetime.datetime(2026, 11, 3, 10, 30))
    Insight.objects.filter(pk=insight.pk).update(raised_at=raised)

    page = page_html(connector, insight.get_absolute_url())

    assert "<h1>Idea raised on 3 November 2026</h1>" in page
    assert page.count("<h1") == 1
    # The full summary once, as the body text: not also cut short in a heading.
    assert page.count("People in the Northfield flats") == 2  # the body and the <title>
    assert f"<p>{LONG.replace('&', '&amp;')}</p>" in page
    assert "<title>Idea raised on 3 November 2026: People in the Northfield flats" in page
