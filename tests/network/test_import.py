"""CSV import: row-level errors naming file, row and column; all or nothing; idempotent."""

import datetime

import pytest
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.network import actions, importing
from core20.network.models import Connector, StatusChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "name,email,phone,role_type,status,started_on,languages,skills\n"
    "Asha Patel,ASHA@example.org,0700,volunteer,training,2024-04-01,English; Gujarati,Cooking\n"
    "Ben Jones,ben@example.org,,sessional,,,,\n"
)


def test_import_creates_then_is_idempotent_and_updates_by_email(site, people):
    result = importing.import_connectors(
        site=site, name="list.csv", content=GOOD.encode(), by=people["host"]
    )
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    asha = Connector.objects.get(site=site, email="asha@example.org")
    assert asha.status == "training" and asha.languages == ["English", "Gujarati"]
    assert asha.role_type == "volunteer" and str(asha.started_on) == "2024-04-01"
    assert Connector.objects.get(email="ben@example.org").status == "interested"

    again = importing.import_connectors(
        site=site, name="list.csv", content=GOOD.encode(), by=people["host"]
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Connector.objects.filter(site=site).count() == 2
    assert StatusChange.objects.filter(connector=asha).count() == 1

    changed = GOOD.replace("0700", "0800")
    third = importing.import_connectors(
        site=site, name="list.csv", content=changed.encode(), by=people["host"]
    )
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    asha.refresh_from_db()
    assert asha.phone == "0800"
    assert AuditEvent.objects.filter(verb="import").count() == 3


def test_every_problem_is_reported_and_nothing_is_saved(site, people):
    bad = (
        "name,email,role_type,status,started_on,wards\n"
        "Good Person,good@example.org,volunteer,,,\n"
        ",not-an-email,boss,active,01/04/2024,E05999999\n"
        "Dup,good@example.org,,,,\n"
    )
    with pytest.raises(importing.ImportFailed) as exc:
        importing.import_connectors(
            site=site, name="bad.csv", content=bad.encode(), by=people["lead"]
        )
    found = {(e.row, e.column) for e in exc.value.row_errors}
    assert found == {
        (3, "name"),
        (3, "email"),
        (3, "role_type"),
        (3, "status"),
        (3, "started_on"),
        (3, "wards"),
        (4, "email"),
    }
    assert str(exc.value.row_errors[0]).startswith("bad.csv, row 3, column “name”")
    active = next(e for e in exc.value.row_errors if e.column == "status")
    assert "cannot make someone active" in active.message
    assert not Connector.objects.exists()
    assert not AuditEvent.objects.filter(verb="import").exists()


def test_missing_and_unknown_columns_and_encoding(site, people):
    with pytest.raises(importing.ImportFailed) as exc:
        importing.parse(site, "x.csv", b"name,colour\nA,red\n")
    assert {(e.row, e.column) for e in exc.value.row_errors} == {(1, "email")}
    with pytest.raises(importing.ImportFailed) as exc:
        importing.parse(site, "x.csv", b"name,email,colour\nA,a@example.org,red\n")
    assert {(e.row, e.column) for e in exc.value.row_errors} == {(1, "colour")}
    with pytest.raises(importing.ImportFailed) as exc:
        importing.parse(site, "x.csv", "name,email\nZoë,z@example.org\n".encode("latin-1"))
    assert "UTF-8" in exc.value.row_errors[0].message


def test_only_managers_of_the_site_may_import(site, people):
    from django.core.exceptions import PermissionDenied

    for user in (people["connector"], people["other_host"], UserFactory()):
        with pytest.raises(PermissionDenied):
            importing.import_connectors(site=site, name="l.csv", content=GOOD.encode(), by=user)


def test_a_list_without_stage_or_role_leaves_what_we_hold_about_someone(site, people):
    """A coordinator imports their old volunteer list, which includes someone already active
    at the site. Only what the list says changes: they stay active and paid, with their start
    date, languages and history as they were."""
    from tests.network.conftest import complete_requirements

    host = people["host"]
    morgan = Connector.objects.create(
        site=site,
        name="Morgan Paid",
        email="morgan@example.org",
        role_type="sessional",
        languages=["English", "Welsh"],
        started_on=datetime.date(2023, 12, 25),
    )
    complete_requirements(morgan, host)
    actions.change_status(connector=morgan, to="active", by=host)
    morgan.refresh_from_db()
    since, history = morgan.status_changed_at, morgan.history.count()

    result = importing.import_connectors(
        site=site,
        name="old-list.csv",
        content=b"name,email,phone,role_type,status,started_on,languages\n"
        b"Morgan Paid,morgan@example.org,07700 900003,,,,\n",
        by=host,
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    morgan.refresh_from_db()
    assert morgan.phone == "07700 900003"
    assert morgan.status == "active" and morgan.status_changed_at == since
    assert morgan.role_type == "sessional"
    assert morgan.started_on == datetime.date(2023, 12, 25)
    assert morgan.languages == ["English", "Welsh"]
    assert morgan.history.count() == history


def test_a_stage_changed_by_an_import_is_dated_the_day_of_the_import(site, people, recruit):
    Connector.objects.filter(pk=recruit.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )

    importing.import_connectors(
        site=site,
        name="list.csv",
        content=b"name,email,status\nRita Recruit,rita@example.org,training\n",
        by=people["host"],
    )

    recruit.refresh_from_db()
    assert recruit.status == "training"
    assert recruit.status_changed_at.date() == timezone.localdate()
    change = recruit.history.first()
    assert change.to_status == "training" and change.reason == "Imported from list.csv"
    assert change.changed_at == recruit.status_changed_at
