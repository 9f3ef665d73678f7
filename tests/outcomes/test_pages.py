"""Logic models from the national template, success measures with evidence, trajectories and
the indicator catalogue, through the pages."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.outcomes.models import Element, Evidence, Indicator, LogicModel, TrajectoryPoint
from tests.conftest import sign_in
from tests.outcomes import helpers

pytestmark = pytest.mark.django_db


def test_reference_data_loads_idempotently():
    call_command("load_outcomes_reference", verbosity=0)
    count = Indicator.objects.count()
    assert count >= 12
    assert Indicator.objects.get(code="cancer-stage-1-2").national_ambition.startswith("75%")
    template = LogicModel.objects.get(site__isnull=True)
    stages = set(template.elements.values_list("stage", flat=True))
    assert stages == {s.value for s in Element.Stage}
    call_command("load_outcomes_reference", verbosity=0)
    assert Indicator.objects.count() == count
    assert LogicModel.objects.get(site__isnull=True).elements.count() == template.elements.count()


def test_there_is_only_ever_one_national_template(site):
    from django.db import IntegrityError, transaction

    LogicModel.objects.create(site=None)
    LogicModel.objects.create(site=site)  # a site's own model is not a template
    with pytest.raises(IntegrityError), transaction.atomic():
        LogicModel.objects.create(site=None)
    assert LogicModel.objects.filter(site__isnull=True).count() == 1


def test_site_lead_starts_from_the_template_and_edits_the_logic_model(client, site, make_user):
    call_command("load_outcomes_reference", verbosity=0)
    lead = make_user("site_lead")
    sign_in(client, lead)
    page = reverse("outcomes:site", args=[site.slug])
    assert "Start from the national template" in client.get(page).content.decode()
    client.post(reverse("outcomes:logic-model-start", args=[site.slug]))
    model = LogicModel.objects.get(site=site)
    template = LogicModel.objects.get(site__isnull=True)
    assert model.elements.count() == template.elements.count()
    copied = model.elements.get(text__startswith="More cancers diagnosed early")
    assert set(copied.indicators.values_list("code", flat=True)) == {
        "cancer-stage-1-2",
        "copd-emergency-admissions",
    }
    # Errors are shown with the NHS error summary; nothing is saved.
    url = reverse("outcomes:element-create", args=[site.slug])
    response = client.post(url, {"stage": "", "text": ""})
    assert "nhsuk-error-summary" in response.content.decode()
    indicator = Indicator.objects.get(code="smoking-at-delivery")
    response = client.post(
        url,
        {"stage": "short", "text": "Mothers know where to get help", "indicators": [indicator.pk]},
    )
    assert response.status_code == 302
    element = model.elements.get(text="Mothers know where to get help")
    assert list(element.indicators.all()) == [indicator]
    client.post(reverse("outcomes:element-delete", args=[site.slug, copied.pk]))
    assert not Element.objects.filter(pk=copied.pk).exists()
    assert template.elements.filter(text__startswith="More cancers").exists()  # template intact
    assert AuditEvent.objects.filter(site_id=site.pk, object_type="outcomes.Element").count() == 2


def test_success_measures_in_the_communitys_words_with_evidence(client, site, make_user):
    sign_in(client, make_user("site_lead"))
    client.post(
        reverse("outcomes:measure-create", args=[site.slug]),
        {"statement": "Our GP knows us by name", "said_by": "Somali women's group"},
    )
    measure = site.success_measures.get()
    response = client.post(
        reverse("outcomes:evidence-create", args=[site.slug, measure.pk]),
        {"observed_on": "2025-13-01", "text": "x"},
    )
    assert "Enter a real date" in response.content.decode()
    client.post(
        reverse("outcomes:evidence-create", args=[site.slug, measure.pk]),
        {"observed_on": "2025-06-01", "text": "12 of 15 said yes at the June meeting"},
    )
    assert Evidence.objects.get(measure=measure).text.startswith("12 of 15")
    page = client.get(reverse("outcomes:site", args=[site.slug])).content.decode()
    assert "Our GP knows us by name" in page and "Somali women&#x27;s group" in page


def test_trajectory_is_set_changed_and_removed(client, site, make_user):
    ind = helpers.indicator()
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:trajectory", args=[site.slug, ind.code])
    bad = client.post(url, {"period": "next year", "value": "abc"}).content.decode()
    assert "is not a period we recognise" in bad and "The aim must be a number" in bad
    assert "nhsuk-error-summary" in bad
    assert client.post(url, {"period": "2025/26", "value": "150"}).status_code == 200  # > 100%
    client.post(url, {"period": "2025/26", "value": "55"})
    client.post(url, {"period": "2025/26", "value": "57.5"})
    point = TrajectoryPoint.objects.get(site=site, indicator=ind)
    assert point.value == 57.5 and point.period_start.isoformat() == "2025-04-01"
    client.post(reverse("outcomes:trajectory-remove", args=[site.slug, ind.code, point.pk]))
    assert not TrajectoryPoint.objects.exists()


def test_national_analyst_maintains_the_catalogue(client, make_user):
    sign_in(client, make_user("national_analyst"))
    data = {
        "code": "new-indicator",
        "name": "A new indicator",
        "clinical_area": "Hypertension",
        "definition": "Defined.",
        "numerator": "Top",
        "type": "proportion",
        "polarity": "higher",
        "source": "Somewhere",
        "active": "on",
    }
    response = client.post(reverse("outcomes:indicator-create"), data)
    assert response.status_code == 302
    response = client.post(reverse("outcomes:indicator-create"), data)
    assert "An indicator has this code" in response.content.decode()
    listing = client.get(reverse("outcomes:indicator-list")).content.decode()
    assert "A new indicator" in listing
