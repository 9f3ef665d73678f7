"""``manage.py create_demo_users``: one user per role at the demo site, fresh passwords that
work each run, and a refusal outside a local demo."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings

from core20.accounts.management.demo import DEMO_ORGANISATION, DEMO_SITE, PEOPLE
from core20.accounts.models import Membership, User
from tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_places():
    SiteFactory(slug=DEMO_SITE)
    OrganisationFactory(slug=DEMO_ORGANISATION)


def _passwords(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "password:":
            found[parts[0]] = parts[2]
    return found


@override_settings(DEBUG=True)
def test_each_run_prints_passwords_that_work_and_adds_no_one_twice(demo_places, rf):
    first = StringIO()
    call_command("create_demo_users", stdout=first)
    again = StringIO()
    call_command("create_demo_users", stdout=again)
    before, after = _passwords(first.getvalue()), _passwords(again.getvalue())
    assert len(after) == len(PEOPLE) == User.objects.count()
    assert Membership.objects.filter(ended_at__isnull=True).count() == len(PEOPLE)
    for email, password in after.items():
        assert password != before[email]
        assert authenticate(rf.post("/"), username=email, password=password) is not None


@override_settings(DEBUG=False)
def test_it_refuses_outside_a_local_demo(demo_places):
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_users")
    assert not User.objects.exists()
