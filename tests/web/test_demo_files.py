"""The files the demo content saves (the hours part's receipts) go when a failed load rolls
back, as its rows do; a load that succeeds keeps them."""

import pytest

from core20.audit.models import AuditEvent
from core20.hours.models import ExpenseClaim, Receipt
from core20.network.models import Connector
from core20.web.demo import engagement, hours, load_demo_content

pytestmark = pytest.mark.django_db


def _files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


def _broken(*args, **kwargs):
    raise RuntimeError("a later part broke")


def test_a_part_failing_after_the_receipts_were_saved_leaves_no_receipt(
    demo_world, media, monkeypatch
):
    saved = []
    load_hours = hours.load

    def hours_then_look(world):
        load_hours(world)
        saved.extend(_files(media))

    monkeypatch.setattr(hours, "load", hours_then_look)
    monkeypatch.setattr(engagement, "load", _broken)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match="a later part broke"):
        load_demo_content()
    assert len(saved) == 3  # the paid, approved and submitted claims' receipts were on disk
    assert _files(media) == []
    # Nor the claims' folders they were in (MEDIA_ROOT itself stays).
    assert not [path for path in media.rglob("*") if path.is_dir()]
    assert not Receipt.objects.exists() and not ExpenseClaim.objects.exists()
    assert not Connector.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_failure_inside_the_hours_part_removes_the_receipts_saved_so_far(
    demo_world, media, monkeypatch
):
    saved = []

    def approve_breaks(**kwargs):
        saved.extend(_files(media))
        raise RuntimeError("approving broke")

    # The first claim is approved once its receipt is saved: that step breaks.
    monkeypatch.setattr(hours.actions, "approve_claim", approve_breaks)
    with pytest.raises(RuntimeError, match="approving broke"):
        load_demo_content()
    assert len(saved) == 1
    assert _files(media) == []
    assert not Receipt.objects.exists() and not ExpenseClaim.objects.exists()


def test_a_load_that_succeeds_keeps_its_files(demo_world, media):
    from core20.knowledge.models import Resource

    load_demo_content()
    receipts = [media / receipt.file.name for receipt in Receipt.objects.all()]
    resources = [media / r.file.name for r in Resource.objects.exclude(file="")]
    assert (len(receipts), len(resources)) == (3, 1)  # the learning report's PDF
    assert _files(media) == sorted(receipts + resources)
