"""Building oversight test data through the real actions (so it is audited and valid)."""

from decimal import Decimal

from core20.oversight import actions, periods


def last_quarter() -> tuple[int, int]:
    """The quarter before this one (it has started, so returns and spend may be made)."""
    return periods.previous_quarter(*periods.quarter_of(periods.today()))


def quarter_before(year: int, quarter: int) -> tuple[int, int]:
    return periods.previous_quarter(year, quarter)


def template_for(wave, by):
    from core20.oversight.models import ReturnTemplate

    existing = ReturnTemplate.objects.filter(wave=wave).first()
    return existing or actions.create_template(wave=wave, by=by)


def allocate(site, by, amount="50000.00", year=None, purpose="Core programme funding"):
    return actions.create_allocation(
        site=site,
        data={
            "financial_year": year or periods.financial_year_of(periods.today()),
            "amount": Decimal(amount),
            "purpose": purpose,
            "notes": "",
        },
        by=by,
    )


def start(site, by, year_quarter=None):
    template_for(site.wave, _admin_for(by))
    year, quarter = year_quarter or last_quarter()
    return actions.start_return(site=site, financial_year=year, quarter=quarter, by=by)


def submitted(site, by, year_quarter=None, summary="We recruited our first connectors."):
    qreturn = start(site, by, year_quarter)
    qreturn = actions.save_answers(qreturn=qreturn, answers={"summary": summary}, by=by)
    return actions.submit_return(qreturn=qreturn, by=by)


def _admin_for(user):
    """Templates are made by a national admin: use ``user`` if they are one, else make one."""
    from core20.accounts.authorization import has_permission
    from core20.accounts.permissions import Permission

    if has_permission(user, Permission.RETURN_REVIEW):
        return user
    from core20.accounts.models import Membership
    from tests.factories import UserFactory

    admin = UserFactory()
    Membership.objects.create(user=admin, role="national_admin")
    return admin
