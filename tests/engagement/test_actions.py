"""Recording activities: validation messages, place derivation, duplicates by UUID,
visibility per role, audit."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.engagement import access, actions
from core20.engagement.models import Activity, ActivityClinicalArea, ActivityCommunity
from core20.network.models import Connector
from tests.engagement import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = {"date": date(2026, 3, 2), "kind": "outreach", "people_reached": 12}


def test_records_counts_links_and_audit(make_user, site):
    connector = make_user("connector")
    record = Connector.objects.create(site=site, user=connector, name="Asha")
    hypertension, _, coastal = helpers.areas()
    activity, created = actions.record_activity(
        by=connector,
        site=site,
        data=BASE
        | {
            "clinical_areas": ["hypertension"],
            "communities": ["coastal-communities"],
            "breakdown": {"age": {"18_24": 5, "65_plus": 7}, "sex": {"female": 0}},
            "case_finding": {"bp_checks_offered": 4},
            "mecc_conversations": 3,
            "notes": "  Stall at the market  ",
        },
    )
    assert created
    activity.refresh_from_db()
    assert activity.recorded_by == connector and activity.connector == record
    assert list(activity.clinical_areas.all()) == [hypertension]
    assert list(activity.communities.all()) == [coastal]
    # Zero counts are not stored; text is trimmed.
    assert activity.breakdown == {"age": {"18_24": 5, "65_plus": 7}}
    assert activity.case_finding == {"bp_checks_offered": 4}
    assert activity.notes == "Stall at the market"
    event = AuditEvent.objects.get(verb="create", object_id=str(activity.pk))
    assert event.site_id == site.pk and event.changes["people_reached"] == [None, 12]


def test_breakdown_over_the_number_reached_is_refused_with_a_clear_message(make_user, site):
    connector = make_user("connector")
    with pytest.raises(ValidationError) as exc:
        actions.record_activity(
            by=connector,
            site=site,
            data=BASE | {"breakdown": {"age": {"18_24": 8, "25_44": 6}, "sex": {"male": 12}}},
        )
    assert exc.value.message_dict == {
        "age": [
            "The numbers by age band add up to 14, more than the 12 people reached. Check "
            "the numbers, or change the number of people reached."
        ]
    }
    assert not Activity.objects.exists()


TOMORROW = object()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": TOMORROW}, "date", "The date must be today or in the past"),
        ({"date": date(2019, 12, 31)}, "date", "The date must be on or after 1 January 2020"),
        ({"kind": "party"}, "kind", "Select the type of activity"),
        (
            {"people_reached": -1},
            "people_reached",
            "The number of people reached must be 0 or more",
        ),
        ({"people_reached": None}, "people_reached", "Enter the number of people reached, or 0"),
        (
            {"place": "not a place"},
            "place",
            "Enter a full postcode, like TF1 1AA, or an LSOA code, like E01028483",
        ),
        ({"clinical_areas": ["astrology"]}, "clinical_areas", "Unknown clinical area: astrology"),
        (
            {"case_finding": {"bp_checks_offered": 2.5}},
            "bp_checks_offered",
            "Blood pressure checks offered must be a whole number, like 12",
        ),
    ],
)
def test_each_mistake_gets_its_own_message(make_user, site, change, field, message):
    if change.get("date") is TOMORROW:  # as the test runs: a run can cross midnight
        change = {"date": timezone.localdate() + timedelta(days=1)}
    with pytest.raises(ValidationError) as exc:
        actions.record_activity(by=make_user("connector"), site=site, data=BASE | change)
    assert exc.value.message_dict[field] == [message]


def test_place_is_resolved_to_lsoa_and_core20_with_the_edition(make_user, site, real_places):
    connector = make_user("connector")
    # Published lookups: SR1 1AA is in E01008703 (IMD 2019 decile 1, so Core20);
    # TF1 1AA in E01014145 (decile 3); TF99 9ZZ is not in the loaded directory.
    core, _ = actions.record_activity(by=connector, site=site, data=BASE | {"place": "sr11aa"})
    assert (core.lsoa, core.imd_decile, core.core20, core.deprivation_edition) == (
        "E01008703",
        1,
        True,
        "imd2019",
    )
    not_core, _ = actions.record_activity(by=connector, site=site, data=BASE | {"place": "TF1 1AA"})
    assert (not_core.lsoa, not_core.imd_decile, not_core.core20) == ("E01014145", 3, False)
    unknown, _ = actions.record_activity(by=connector, site=site, data=BASE | {"place": "TF99 9ZZ"})
    assert (unknown.lsoa, unknown.core20, unknown.deprivation_edition) == ("", None, "")


def test_the_same_uuid_twice_stores_one_activity(make_user, site):
    connector = make_user("connector")
    key = uuid.uuid4()
    first, created = actions.record_activity(by=connector, site=site, data=BASE, uuid=key)
    again, created_again = actions.record_activity(
        by=connector, site=site, data=BASE, uuid=str(key)
    )
    assert created and not created_again and again.pk == first.pk
    assert Activity.objects.count() == 1
    # Someone else cannot claim it (nor learn what it holds).
    with pytest.raises(ValidationError):
        actions.record_activity(by=make_user("connector"), site=site, data=BASE, uuid=key)


def test_only_recorders_at_the_site_may_record(make_user, site, other_site):
    with pytest.raises(PermissionDenied):
        actions.record_activity(by=make_user("site_lead"), site=site, data=BASE)
    with pytest.raises(PermissionDenied):
        actions.record_activity(by=make_user("connector"), site=other_site, data=BASE)


def test_connectors_see_and_edit_only_their_own(make_user, site, other_site):
    me, colleague = make_user("connector"), make_user("connector")
    coordinator, lead = make_user("host_coordinator"), make_user("site_lead")
    mine = helpers.activity(site, me)
    theirs = helpers.activity(site, colleague)
    elsewhere = helpers.activity(other_site, UserFactory())
    assert set(access.visible_activities(me)) == {mine}
    assert set(access.visible_activities(coordinator)) == {mine, theirs}
    assert set(access.visible_activities(lead)) == {mine, theirs}
    assert set(access.visible_activities(make_user("national_analyst"))) == {
        mine,
        theirs,
        elsewhere,
    }
    assert set(access.visible_activities(make_user("decision_maker"))) == set()
    assert access.can_edit(me, mine) and not access.can_edit(me, theirs)
    assert access.can_edit(coordinator, theirs) and not access.can_edit(lead, theirs)
    with pytest.raises(PermissionDenied):
        actions.update_activity(by=me, activity=theirs, data=BASE)


def test_update_audits_what_changed_and_delete_removes(make_user, site):
    me = make_user("connector")
    helpers.areas()
    links = {"clinical_areas": ["hypertension"], "communities": ["coastal-communities"]}
    activity, _ = actions.record_activity(by=me, site=site, data=BASE | links)
    actions.update_activity(by=me, activity=activity, data=BASE | links | {"people_reached": 15})
    event = AuditEvent.objects.get(verb="update")
    assert event.changes == {"people_reached": [12, 15]}
    pk = activity.pk
    assert activity.clinical_areas.exists() and activity.communities.exists()
    actions.delete_activity(by=me, activity=activity)
    assert not Activity.objects.exists()
    # The link tables have no database foreign keys: the links must go with the activity.
    assert not ActivityClinicalArea.objects.exists()
    assert not ActivityCommunity.objects.exists()
    assert AuditEvent.objects.filter(verb="delete", object_id=str(pk)).exists()
