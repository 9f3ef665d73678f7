"""Building blocks for the insights tests: made through the actions, as the pages do."""

import uuid

from core20.insights import actions
from core20.insights.models import Insight
from tests.factories import OrganisationFactory

BASE_URL = "http://testserver"


def body(site, by, *, organisation=None, name=None, kind="pcn", contacts=()):
    organisation = organisation or OrganisationFactory()
    made = actions.create_body(
        site=site,
        data={
            "organisation": organisation,
            "name": name or f"{organisation.name} board",
            "kind": kind,
        },
        by=by,
    )
    for email in contacts:
        actions.add_contact(body=made, data={"name": email.split("@")[0], "email": email}, by=by)
    return made


def insight(site, by, *, people=12, kind=Insight.Kind.BARRIER, summary=None, **kwargs):
    return actions.raise_insight(
        site=site,
        data={
            "kind": kind,
            "summary": summary or "People cannot get through on the phone at 8am.",
            "people_count": people,
        },
        by=by,
        **kwargs,
    )


def route(an_insight, bodies, by):
    return actions.route_insight(
        insight=an_insight, bodies=bodies, message="", base_url=BASE_URL, by=by
    )


def api_insight(site) -> dict:
    """A valid body for POST /api/v1/insights at ``site`` (a new uuid each time)."""
    return {
        "uuid": str(uuid.uuid4()),
        "site": site.slug,
        "kind": "barrier",
        "summary": "Buses stop at 6pm",
        "people_count": 5,
    }
