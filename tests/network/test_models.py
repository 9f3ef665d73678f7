"""The connector record's own rules: one record per email per site, one per account per site."""

import pytest
from django.db import IntegrityError, transaction

from core20.network.models import Connector
from tests.factories import UserFactory


@pytest.mark.django_db
def test_email_is_unique_within_a_site_but_not_across_sites(site, other_site):
    Connector.objects.create(site=site, name="Amina", email="amina@example.org")
    Connector.objects.create(site=other_site, name="Amina", email="amina@example.org")
    # People without an email address do not clash with each other.
    Connector.objects.create(site=site, name="No email one")
    Connector.objects.create(site=site, name="No email two")
    with pytest.raises(IntegrityError), transaction.atomic():
        Connector.objects.create(site=site, name="Amina again", email="amina@example.org")


@pytest.mark.django_db
def test_records_for_a_user_are_only_their_own(site):
    user = UserFactory()
    mine = Connector.objects.create(site=site, name="Mine", user=user)
    Connector.objects.create(site=site, name="Someone else", user=UserFactory())
    assert list(Connector.objects.for_user(user)) == [mine]
    assert mine.status == Connector.Status.INTERESTED and not mine.is_active
