"""The site list's "Site" cell is one value (the name, local name and tags together), so that on
a small screen, where each cell is laid out as its heading beside its value, the name and its
tags stack under one another instead of falling apart into narrow columns."""

import re

import pytest
from django.urls import reverse

from tests.conftest import one_element

pytestmark = pytest.mark.django_db


def test_a_site_with_a_local_name_and_a_tag_is_one_value_in_its_cell(client, site):
    site.local_name = "Health Buddies"
    site.status = "associate"
    site.save()
    html = client.get(reverse("programme:site-list")).content.decode()
    cell = re.search(r'aria-hidden="true">Site </span>(.*?)</td>', html, re.S).group(1).strip()
    assert one_element(cell), cell
    assert "Health Buddies" in cell and "Associate site" in cell
