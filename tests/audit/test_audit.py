import pytest
from django.db import transaction
from django.urls import reverse

from core20.audit.models import AuditEvent, ImmutableEventError
from core20.audit.recording import record
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _event(site=None, label="Thing", actor=None):
    with transaction.atomic():
        return record(
            actor=actor,
            verb=AuditEvent.Verb.UPDATE,
            object_type="programme.Site",
            object_id=1,
            object_label=label,
            site=site,
            changes={"name": ["Old", "New"]},
        )


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        record(actor=None, verb=AuditEvent.Verb.UPDATE, object_type="x", object_label="y")


def test_events_cannot_be_changed_or_deleted():
    event = _event()
    event.summary = "tampered"
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()
    with pytest.raises(ImmutableEventError):
        AuditEvent.objects.all().delete()
    with pytest.raises(ImmutableEventError):
        AuditEvent.objects.update(summary="x")


def test_change_and_event_roll_back_together(site):
    from core20.programme.models import Site

    with pytest.raises(ValueError), transaction.atomic():
        Site.objects.filter(pk=site.pk).update(name="Renamed")
        record(actor=None, verb=AuditEvent.Verb.UPDATE, obj=site, site=site)
        raise ValueError("something failed after the audit event")
    site.refresh_from_db()
    assert site.name == "Home Site"
    assert not AuditEvent.objects.filter(object_id=str(site.pk), verb="update").exists()


def test_national_admin_sees_every_event(client, make_user, site, other_site):
    _event(site=site, label="Home change")
    _event(site=other_site, label="Other change")
    sign_in(client, make_user("national_admin"))
    html = client.get(reverse("audit:log")).content.decode()
    assert "Home change" in html and "Other change" in html


def test_site_lead_sees_only_their_sites_events(client, make_user, site, other_site):
    _event(site=site, label="Home change")
    _event(site=other_site, label="Other change")
    sign_in(client, make_user("site_lead"))
    html = client.get(reverse("audit:log")).content.decode()
    assert "Home change" in html
    assert "Other change" not in html


def test_filters_by_actor_record_and_date(client, make_user, site):
    admin = make_user("national_admin", full_name="Ada Admin")
    _event(site=site, label="Alpha record", actor=admin)
    _event(site=site, label="Bravo record")
    sign_in(client, admin)
    html = client.get(reverse("audit:log"), {"actor": "ada"}).content.decode()
    assert "Alpha record" in html and "Bravo record" not in html
    html = client.get(reverse("audit:log"), {"text": "bravo"}).content.decode()
    assert "Bravo record" in html and "Alpha record" not in html
    bad = client.get(reverse("audit:log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "The end date must be the same as or after the start date" in bad.content.decode()


@pytest.mark.parametrize(
    "role",
    ["connector", "host_coordinator", "decision_maker", "community_member", "national_analyst"],
)
def test_roles_without_audit_access_are_refused(client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get(reverse("audit:log")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
