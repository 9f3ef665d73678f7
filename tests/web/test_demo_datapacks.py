"""The demo's community data packs (core20/web/demo/datapacks.py): the site's pack generated
and published by the site lead, for everyone to read; one more pack generated and waiting
for the site lead to publish (the target areas in one ward, where the site's LSOAs offer
that choice, as in the full demo); every count through disclosure control; all audited.

Figures come from the places tests' hand-made ``tiny`` fixture (two wards, 5,000 people),
chosen as the demo site's target areas: as wards, or as LSOAs as the outcomes part chooses
real ones."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.datapacks import disclosure
from core20.datapacks.models import DataPack
from core20.datapacks.tasks import generate_pack_task
from core20.web import demo
from core20.web.dashboard import dashboard_for
from core20.web.demo import datapacks, load_demo_content
from tests.conftest import page_html
from tests.datapacks.helpers import choose
from tests.places_lookup.conftest import _fresh_caches, tiny  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

Status = DataPack.Status
NAMES = {"E05999991": "North Tiny", "E05999992": "South Tiny"}


@pytest.fixture
def with_areas(demo_world, request):
    request.getfixturevalue("tiny")  # the places tests' four LSOAs in two wards
    choose(demo_world.site, "E05999992", "E05999991", names=NAMES)
    return demo_world


@pytest.fixture
def loaded(with_areas):
    datapacks.load(with_areas)
    return with_areas


def url(name: str, pack: DataPack, **query) -> str:
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_the_site_lead_publishes_the_sites_pack_and_a_ward_pack_waits(loaded):
    lead = loaded.users["site_lead"]
    made = loaded.made["data_packs"]
    published = DataPack.objects.get(site=loaded.site, area_code="")
    assert published == made["published"]
    assert (published.version, published.status) == (1, Status.PUBLISHED)
    assert published.generated_by == lead and published.published_by == lead
    assert published.contact == datapacks.CONTACT
    # The first target ward by name: North Tiny, though South Tiny was chosen first.
    waiting = DataPack.objects.get(site=loaded.site, area_code="E05999991")
    assert waiting == made["waiting"]
    assert (waiting.version, waiting.status, waiting.area_name) == (1, Status.READY, "North Tiny")
    assert DataPack.objects.count() == 2
    # Dated yesterday, relative to the demo's today, not when the test ran.
    yesterday = loaded.today - timedelta(days=1)
    assert published.generated_at == loaded.days_ago(1, 14)
    assert published.published_at == loaded.days_ago(1, 14, 30)
    assert waiting.generated_at == loaded.days_ago(1, 16)
    assert {p.created_at.date() for p in (published, waiting)} == {yesterday}
    assert loaded.summary == [
        "Data packs: the site's pack published (version 1: who lives here (health against "
        "England and what connectors heard not yet available)), as a page, an easy read and a "
        "PDF in English, Urdu and Polish; North Tiny ward's pack generated and waiting for the "
        "site lead to publish"
    ]


def test_the_published_pack_is_on_the_public_data_packs_pages(loaded):
    public = Client()
    pack = loaded.made["data_packs"]["published"]
    index = public.get(reverse("datapacks:index")).content.decode()
    assert loaded.site.name in index and "No site has published a data pack yet" not in index
    listing = public.get(reverse("datapacks:site", args=[loaded.site.slug])).content.decode()
    assert "Version 1" in listing and "North Tiny" not in listing
    page = public.get(url("pack", pack)).content.decode()
    assert "About 5,000 people live in the areas this site works in." in page
    assert datapacks.CONTACT in page and "Publish version" not in page
    urdu = public.get(url("pack", pack, lang="ur")).content.decode()
    assert 'dir="rtl"' in urdu
    assert public.get(url("easy-read", pack, lang="pl")).status_code == 200
    pdf = public.get(url("pack-pdf", pack))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_waiting_pack_is_not_public_but_waits_for_the_site_lead(loaded):
    waiting = loaded.made["data_packs"]["waiting"]
    assert Client().get(url("pack", waiting)).status_code == 404
    lead = loaded.users["site_lead"]
    assert "1 data pack to publish" in [w.text for w in dashboard_for(lead).waiting]
    preview = page_html(lead, url("pack", waiting))
    assert "Version 1 is not published" in preview and "Publish version 1" in preview
    # Nobody else at the site is asked to publish it.
    connector = loaded.users["connector"]
    assert not any("data pack" in w.text for w in dashboard_for(connector).waiting)


def test_generating_and_publishing_are_audited(loaded):
    lead = loaded.users["site_lead"]
    made = loaded.made["data_packs"]
    events = AuditEvent.objects.filter(object_type="datapacks.DataPack").order_by("pk")
    published, waiting = str(made["published"].pk), str(made["waiting"].pk)
    assert [(e.verb, e.object_id, e.actor_id, e.site_id, e.summary) for e in events] == [
        ("create", published, lead.pk, loaded.site.pk, "Started generating data pack version 1"),
        ("publish", published, lead.pk, loaded.site.pk, "Published data pack version 1"),
        ("create", waiting, lead.pk, loaded.site.pk, "Started generating data pack version 1"),
    ]


def test_every_count_in_the_packs_passes_disclosure_control(loaded):
    for pack in loaded.made["data_packs"].values():
        counts = list(disclosure.iter_counts(pack.content))
        assert len(counts) == 11  # ten deciles and the total
        assert disclosure.problems(pack.content) == []


def test_the_packs_are_generated_during_the_load_even_when_tasks_wait_for_a_worker(
    with_areas, settings
):
    # As in the demo itself: the database task backend, and no worker running yet.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    datapacks.load(with_areas)
    assert sorted(DataPack.objects.values_list("status", flat=True)) == [
        Status.PUBLISHED,
        Status.READY,
    ]
    # When the worker takes the queued tasks later, they change nothing.
    for pack in DataPack.objects.all():
        assert pack.task_id
        before = (pack.status, pack.content, pack.generated_at)
        generate_pack_task.call(pack.pk)
        pack.refresh_from_db()
        assert (pack.status, pack.content, pack.generated_at) == before


def test_with_lsoa_targets_the_pack_for_the_target_areas_in_one_ward_waits(demo_world, tiny):  # noqa: F811
    # As the outcomes part chooses them: LSOAs. One in North Tiny ward, two in South Tiny.
    choose(demo_world.site, "E01999991", "E01999993", "E01999994", kind="lsoa")
    datapacks.load(demo_world)
    waiting = demo_world.made["data_packs"]["waiting"]
    # The first ward the generate form offers (by name): part of North Tiny ward.
    assert (waiting.area_code, waiting.area_kind, waiting.area_name) == (
        "E05999991",
        "in_ward",
        "North Tiny",
    )
    assert (waiting.version, waiting.status) == (1, Status.READY)
    assert waiting.area_label == "Target areas in North Tiny ward"
    assert waiting.content["sections"][0]["data"]["areas"]  # its own figures
    lead = demo_world.users["site_lead"]
    assert "1 data pack to publish" in [w.text for w in dashboard_for(lead).waiting]
    preview = page_html(lead, url("pack", waiting))
    assert "people live in these target areas" in preview
    assert "Publish version 1" in preview
    assert demo_world.summary[0].endswith(
        "; the pack for the target areas in North Tiny ward (1 neighbourhood) generated and "
        "waiting for the site lead to publish"
    )
    for pack in demo_world.made["data_packs"].values():
        assert disclosure.problems(pack.content) == []


def test_without_target_areas_a_second_version_of_the_sites_pack_waits(demo_world):
    datapacks.load(demo_world)
    packs = DataPack.objects.filter(site=demo_world.site, area_code="").order_by("version")
    assert [(p.version, p.status) for p in packs] == [(1, Status.PUBLISHED), (2, Status.READY)]
    lead = demo_world.users["site_lead"]
    assert "1 data pack to publish" in [w.text for w in dashboard_for(lead).waiting]
    assert demo_world.summary == [
        "Data packs: the site's pack published (version 1: no figures yet), as a page, an "
        "easy read and a PDF in English, Urdu and Polish; version 2 of the site's pack "
        "generated and waiting for the site lead to publish"
    ]


def test_with_the_rest_of_the_demo_the_pack_shows_what_connectors_heard(demo_world, monkeypatch):
    steps = demo.STEPS if "datapacks" in demo.STEPS else (*demo.STEPS, "datapacks")
    monkeypatch.setattr(demo, "STEPS", steps)
    summary = load_demo_content()
    assert summary[-1].startswith(
        "Data packs: the site's pack published (version 1: what connectors heard "
    )
    pack = DataPack.objects.get(status=Status.PUBLISHED)
    assert disclosure.problems(pack.content) == []
    page = Client().get(url("pack", pack)).content.decode()
    # The "you said, we did" change the insights part published.
    assert "evening clinics" in page


def test_a_failing_load_leaves_no_packs_and_no_files(with_areas, media, monkeypatch):
    monkeypatch.setattr(demo, "STEPS", ("datapacks",))

    def broken(site):
        raise RuntimeError("finding the areas broke")

    # It breaks after the site's pack was generated and published.
    monkeypatch.setattr(datapacks, "pack_areas", broken)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match="finding the areas broke"):
        load_demo_content()
    assert not DataPack.objects.exists()
    assert AuditEvent.objects.count() == before
    assert _files(media) == []


def test_a_load_that_succeeds_saves_no_files(with_areas, media, monkeypatch):
    # Pages, easy reads and PDFs are made from the stored figures when they are opened.
    monkeypatch.setattr(demo, "STEPS", ("datapacks",))
    load_demo_content()
    assert DataPack.objects.count() == 2
    assert _files(media) == []


def test_a_pack_is_never_dated_before_an_insight_it_shows(demo_world, monkeypatch):
    # Were the packs dated two months back, they would show an insight published since.
    monkeypatch.setattr(demo, "STEPS", (*(s for s in demo.STEPS if s != "datapacks"), "datapacks"))
    monkeypatch.setattr(datapacks, "GENERATED", (60, 14, 0))
    with pytest.raises(ValueError, match="before the insight published at"):
        load_demo_content()
    assert not DataPack.objects.exists()
