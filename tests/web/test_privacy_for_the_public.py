"""The privacy notice, read by a member of the public: the section on sites' applications to
a call for expressions of interest says it is not about becoming a connector (whose form is
also an "expression of interest"), and the notice says how to complain to the regulator."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _text(client) -> str:
    html = client.get("/privacy/").content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_applications_from_areas_are_not_confused_with_becoming_a_connector(client):
    page = _text(client)
    assert "Applications from areas to become a site" in page
    assert "Applications to join the programme" not in page
    assert (
        "This is about integrated care systems and places applying to join a new wave of the "
        "programme, not about people who want to be a community connector (see the next "
        "section)."
    ) in page


def test_the_notice_says_how_to_complain_to_the_information_commissioner(client):
    html = client.get("/privacy/").content.decode()
    assert 'href="https://ico.org.uk/make-a-complaint/"' in html
    assert "right to complain to the Information Commissioner's Office (ICO)" in _text(client)
