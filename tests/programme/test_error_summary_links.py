"""Every link in the site form's error summary goes to a field on the page (WCAG 2.4.3 and the
NHS error summary pattern), including the ICB, focus area and community checkboxes, whose
options are grouped (ICBs by region)."""

import re

from django.urls import reverse

from tests.programme.test_editing import site_post


def test_every_error_summary_link_on_the_site_form_goes_to_a_field(
    admin_client_signed_in, site, geography
):
    data = site_post(site.wave, geography, name="", regions=[], icbs=[])
    response = admin_client_signed_in.post(reverse("programme:site-create"), data)
    html = response.content.decode()
    summary = html.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    targets = re.findall(r'<a href="#([^"]+)"', summary)
    assert "id_icbs_0_0" in targets  # the first ICB, in the first region's group
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert [t for t in targets if t not in ids] == []
