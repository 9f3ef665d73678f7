"""Knowledge fixtures: uploads go to a temporary MEDIA_ROOT; a signed-in national admin."""

import pytest
from django.test import Client

from tests.conftest import sign_in


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(make_user):
    return make_user("national_admin", full_name="Ada Admin")


@pytest.fixture
def admin_client(admin):
    client = Client()
    sign_in(client, admin)
    return client
