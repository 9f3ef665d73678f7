"""The site list's "Site" cell is one value (the name, local name and tags together), so that on
a small screen, where each cell is laid out as its heading beside its value, the name and its
tags stack under one another instead of falling apart into narrow columns."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def one_element(cell: str) -> bool:
    """Whether the cell's value (after its heading) is a single element, with no loose text
    or second element beside it: what the responsive table needs to lay it out as one value."""
    depth, tops = 0, 0
    for match in re.finditer(r"<(/?)(\w+)[^>]*>|([^<]+)", cell.strip()):
        closing, name, text = match.groups()
        if text is not None:
            if depth == 0 and text.strip():
                return False
        elif name in ("br", "img", "input", "wbr"):
            if depth == 0:
                return False
        elif closing:
            depth -= 1
        else:
            tops += depth == 0
            depth += 1
    return tops == 1 and depth == 0


def test_a_site_with_a_local_name_and_a_tag_is_one_value_in_its_cell(client, site):
    site.local_name = "Health Buddies"
    site.status = "associate"
    site.save()
    html = client.get(reverse("programme:site-list")).content.decode()
    cell = re.search(r'aria-hidden="true">Site </span>(.*?)</td>', html, re.S).group(1).strip()
    assert one_element(cell), cell
    assert "Health Buddies" in cell and "Associate site" in cell
