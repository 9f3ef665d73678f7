"""The axe check itself: it must fail on a page that breaks WCAG rules, naming the rule, and
pass a page that keeps them (otherwise every browser test's accessibility check could be
passing without looking)."""

import pytest

from tests.browser.conftest import A11yChecker

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>A form</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Hard to read</p>
<input type="text" name="postcode"></main></body></html>"""

FINE = """<!doctype html><html lang="en"><head><title>Fine</title></head><body><main>
<h1>A form</h1><img alt="Our logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#212b32;background:#fff">Easy to read</p>
<label for="postcode">Postcode</label><input id="postcode" type="text" name="postcode">
</main></body></html>"""


def test_a_page_breaking_wcag_rules_fails_the_check_and_names_them(page):
    page.set_content(BROKEN)
    with pytest.raises(AssertionError) as failure:
        A11yChecker(page)()
    message = str(failure.value)
    for rule in ("image-alt", "color-contrast", "label"):
        assert rule in message


def test_a_page_keeping_the_rules_passes_and_counts_as_checked(page):
    page.set_content(FINE)
    check = A11yChecker(page)
    check()
    check()  # axe is loaded once per page; a second check runs it again
    assert "about:blank" in check.checked
