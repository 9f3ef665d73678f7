"""A claim's receipts are kept in their own folder (hours/receipts/<claim>/): once its last
receipt file is deleted, by the connector removing it or at the end of the retention period,
the folder goes too (core20.files.remove_empty_folders)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.urls import reverse

from core20.files import remove_empty_folders
from core20.hours import actions
from core20.hours.models import get_private_storage
from core20.hours.personal_data import remove_receipts
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db


def _folder(media, claim):
    return media / "hours" / "receipts" / str(claim.pk)


def _files(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# ---- removing a receipt from a draft ----


def test_removing_the_last_receipt_removes_the_claims_folder(
    me, people, media, client_as, django_capture_on_commit_callbacks
):
    claim = helpers.draft_claim(me, people["connector"])
    receipt = claim.receipts.get()
    assert _files(_folder(media, claim)) == [receipt.file.name.rsplit("/", 1)[1]]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("connector").post(
            reverse("hours:receipt-remove", args=[claim.pk, receipt.pk])
        )

    assert response.status_code == 302
    assert not _folder(media, claim).exists()
    assert media.is_dir()  # MEDIA_ROOT itself stays


def test_removing_one_of_two_receipts_keeps_the_folder_and_the_other(
    me, people, media, django_capture_on_commit_callbacks
):
    claim = helpers.draft_claim(me, people["connector"])
    ticket = actions.add_receipt(
        claim=claim,
        upload=helpers.upload("ticket.png", helpers.PNG, "image/png"),
        by=people["connector"],
    )
    first = claim.receipts.exclude(pk=ticket.pk).get()

    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_receipt(receipt=first, by=people["connector"])

    assert _files(_folder(media, claim)) == [ticket.file.name.rsplit("/", 1)[1]]
    assert get_private_storage().exists(ticket.file.name)


def test_other_claims_folders_stay(me, people, media, django_capture_on_commit_callbacks):
    removed = helpers.draft_claim(me, people["connector"])
    other = helpers.draft_claim(me, people["connector"], title="Other")

    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_receipt(receipt=removed.receipts.get(), by=people["connector"])

    assert not _folder(media, removed).exists()
    assert len(_files(_folder(media, other))) == 1


# ---- the retention run ----


def test_removal_at_the_end_of_the_retention_period_removes_the_folder(
    me, people, media, django_capture_on_commit_callbacks
):
    claim = helpers.approved_claim(me, people["connector"], people["host"], "12.50")
    actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])
    kept = helpers.draft_claim(me, people["connector"], title="Still in progress")

    with django_capture_on_commit_callbacks(execute=True):
        remove_receipts(claim=claim, by=None, reason="Retention period ended: test")

    assert not _folder(media, claim).exists()
    assert len(_files(_folder(media, kept))) == 1


def test_the_folder_stays_while_a_file_could_not_be_deleted(
    me, people, media, monkeypatch, django_capture_on_commit_callbacks
):
    claim = helpers.approved_claim(me, people["connector"], people["host"], "12.50")
    actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])
    storage = get_private_storage()

    def fails(name):
        raise PermissionError("read-only disk")

    monkeypatch.setattr(storage, "delete", fails)
    with django_capture_on_commit_callbacks(execute=True):
        remove_receipts(claim=claim, by=None, reason="Retention period ended: test")

    assert len(_files(_folder(media, claim))) == 1


# ---- the helper itself ----


def test_the_walk_stops_at_a_folder_that_is_not_empty(tmp_path):
    storage = FileSystemStorage(location=tmp_path / "root")
    storage.save("a/b/one.txt", ContentFile(b"1"))
    storage.save("a/two.txt", ContentFile(b"2"))
    storage.delete("a/b/one.txt")

    remove_empty_folders(storage, "a/b/one.txt")

    assert not (tmp_path / "root" / "a" / "b").exists()
    assert (tmp_path / "root" / "a" / "two.txt").exists()


def test_the_storages_own_folder_always_stays(tmp_path):
    storage = FileSystemStorage(location=tmp_path / "root")
    storage.save("a/one.txt", ContentFile(b"1"))
    storage.delete("a/one.txt")

    remove_empty_folders(storage, "a/one.txt")

    assert not (tmp_path / "root" / "a").exists()
    assert (tmp_path / "root").is_dir()


def test_storage_without_folders_on_disk_is_left_alone():
    storage = InMemoryStorage()
    storage.save("a/one.txt", ContentFile(b"1"))
    storage.delete("a/one.txt")

    remove_empty_folders(storage, "a/one.txt")  # no path(): nothing to do, nothing raised
