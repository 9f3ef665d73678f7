"""Building micro-grant data for tests with the ORM and the actions (the HTTP paths are
tested once each in test_pages.py)."""

import time
from datetime import timedelta
from decimal import Decimal

from django.core import signing
from django.utils import timezone

from core20.grants import actions
from core20.grants.forms import ApplicationForm
from core20.grants.models import Application, BudgetLine, Criterion, Fund, PanelMember


def today():
    return timezone.localdate()


def fund(site, *, budget="1000.00", max_award="500.00", opens=-7, closes=21, **kwargs) -> Fund:
    return Fund.objects.create(
        site=site,
        name=kwargs.pop("name", f"{site} community grants"),
        summary=kwargs.pop("summary", "Small grants for groups helping people get care."),
        budget=Decimal(budget),
        max_award=Decimal(max_award),
        opens_on=today() + timedelta(days=opens),
        closes_on=today() + timedelta(days=closes),
        **kwargs,
    )


def criteria(fund: Fund, *specs) -> list[Criterion]:
    specs = specs or (("Reaches the community", 5), ("Good value", 5))
    return [
        Criterion.objects.create(fund=fund, position=i, name=name, max_score=top)
        for i, (name, top) in enumerate(specs, start=1)
    ]


def application(fund: Fund, *, amount="300.00", **kwargs) -> Application:
    values = {
        "recipient_type": Application.RecipientType.ORGANISATION,
        "group_name": "Riverside Walkers",
        "contact_name": "Sam Contact",
        "contact_email": "sam@example.org",
        "title": "Walk and talk group",
        "purpose": "Weekly walks with a health check-in for older men.",
        "amount_requested": Decimal(amount),
        **kwargs,
    }
    made = Application.objects.create(fund=fund, **values)
    BudgetLine.objects.create(application=made, item="Leaflets", amount=Decimal(amount))
    return made


def appoint(fund: Fund, user) -> PanelMember:
    return PanelMember.objects.create(fund=fund, user=user)


def award(application: Application, by, amount=None, **kwargs) -> Application:
    return actions.decide(
        application=application,
        awarded=True,
        amount=amount if amount is not None else application.amount_requested,
        by=by,
        **kwargs,
    )


def application_form(**overrides) -> dict:
    """A complete, valid public application form post (Riverside Walkers asking for £450:
    leaflets £50 and hall hire £400), started 10 seconds ago; ``overrides`` change fields."""
    data = {
        "recipient_type": "organisation",
        "group_name": "Riverside Walkers",
        "contact_name": "Sam Contact",
        "contact_email": "sam@example.org",
        "title": "Walk and talk",
        "purpose": "Weekly walks with blood pressure checks.",
        "amount_requested": "450",
        "item_1": "Leaflets",
        "amount_1": "50",
        "item_2": "Hall hire",
        "amount_2": "400",
        "started": signing.dumps(time.time() - 10, salt=ApplicationForm.SALT),
        "website": "",
    }
    data.update(overrides)
    return data
