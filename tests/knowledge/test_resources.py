"""The knowledge hub: public list and detail pages with filters, drafts hidden, and
resources managed by national admins with validated links and files (nothing half-saved)."""

import html
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.knowledge import files
from core20.knowledge.models import Resource
from core20.programme.models import ClinicalArea
from tests.knowledge import helpers

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def areas(db):
    cancer = ClinicalArea.objects.create(code="cancer", name="Cancer", group="adult")
    maternity = ClinicalArea.objects.create(code="maternity", name="Maternity", group="adult")
    return {"cancer": cancer, "maternity": maternity}


def test_public_list_filters_and_hides_drafts(client, admin, areas):
    helpers.resource(admin, title="Screening report", clinical_areas=[areas["cancer"]])
    helpers.resource(
        admin,
        kind="webinar",
        title="Maternity webinar",
        link="https://example.org/webinar",
        clinical_areas=[areas["maternity"]],
    )
    helpers.resource(admin, title="Unfinished draft", published=False)
    page = client.get(reverse("knowledge:resource-list")).content.decode()
    assert "Screening report" in page and "Maternity webinar" in page
    assert "Unfinished draft" not in page

    page = client.get(reverse("knowledge:resource-list"), {"area": "cancer"}).content.decode()
    assert "Screening report" in page and "Maternity webinar" not in page
    page = client.get(reverse("knowledge:resource-list"), {"kind": "webinar"}).content.decode()
    assert "Maternity webinar" in page and "Screening report" not in page
    page = client.get(reverse("knowledge:resource-list"), {"q": "screening"}).content.decode()
    assert "1 resource matches your filters" in page
    bad = client.get(reverse("knowledge:resource-list"), {"area": "nope"})
    assert "Choose a clinical area from the list" in bad.content.decode()


def test_detail_page_shows_links_and_the_download(client, admin, areas):
    resource = helpers.resource(
        admin,
        kind="webinar",
        title="Connectors webinar",
        link="https://example.org/watch",
        link_text="Watch the recording",
        upload=helpers.pdf("slides.pdf"),
        clinical_areas=[areas["cancer"]],
    )
    page = client.get(resource.get_absolute_url()).content.decode()
    assert '<a class="app-break-words" href="https://example.org/watch"' in page
    assert "Watch the recording" in page
    assert "(PDF, " in page
    response = client.get(reverse("knowledge:resource-file", args=[resource.slug]))
    assert response.status_code == 200
    assert response.content == helpers.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="slides.pdf"'


def test_admin_adds_a_resource_through_the_page(admin_client, areas, private_media):
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {
            "kind": "co_design_report",
            "title": "Co-design workshops: what we heard",
            "summary": "From the workshops.",
            "link": "https://example.org/report",
            "clinical_areas": [areas["cancer"].pk],
            "published": "on",
            "file": helpers.docx("What we heard.docx"),
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.slug == "co-design-workshops-what-we-heard"
    assert resource.file_name == "What we heard.docx"
    assert resource.published_on is not None
    assert len(_stored(private_media)) == 1
    event = AuditEvent.objects.get(object_type="knowledge.Resource")
    assert event.verb == "create" and event.changes["file"][1] == "What we heard.docx"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"link": "javascript:alert(1)"}, "Enter a web address that starts with https://"),
        ({"link": "ftp://example.org/file"}, "Enter a web address that starts with https://"),
        ({"kind": "webinar", "link": ""}, "Enter the web address to join the webinar"),
        ({"link_text": "Read it", "link": ""}, "Enter the web address the link text is for"),
        ({"title": ""}, "Enter a title"),
        ({"summary": ""}, "Enter a summary"),
        ({"slug": "new"}, "is used by the service itself"),
        ({"published_on": "2025-02-30"}, "Enter the date published as a real date, like 27/3/2025"),
    ],
)
def test_resource_mistakes_are_explained_and_nothing_is_saved(
    admin_client, private_media, data, message
):
    post = {
        "kind": "learning_report",
        "title": "A report",
        "summary": "About it.",
        "file": helpers.pdf(),
        **data,
    }
    response = admin_client.post(reverse("knowledge:resource-create"), post)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert message in page
    assert not Resource.objects.exists()
    assert _stored(private_media) == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "must be a PDF, a Word document"),
        (SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"), "not a real PDF file"),
        (SimpleUploadedFile("report.docx", b"%PDF-1.4 renamed"), "not a real DOCX file"),
        (helpers.odt("report.docx"), "not a real DOCX file"),
        (helpers.docx("report.odt"), "not a real ODT file"),
        (helpers.odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"), "not a real ODT"),
        (SimpleUploadedFile("empty.pdf", b""), "The selected file is empty"),
        (
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),
            "smaller than 10 MB",
        ),
    ],
)
def test_files_are_checked_by_extension_size_and_content(
    admin_client, private_media, upload, message
):
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {"kind": "resource", "title": "A guide", "summary": "How to.", "file": upload},
    )
    assert message in _text(response)
    assert not Resource.objects.exists()
    assert _stored(private_media) == []


def test_the_actions_check_files_and_links_too(admin):
    with pytest.raises(ValidationError) as caught:
        helpers.resource(admin, upload=SimpleUploadedFile("x.pdf", b"nope"))
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        helpers.resource(admin, link="ftp://example.org/")
    assert "link" in caught.value.message_dict
    assert not Resource.objects.exists()
    assert files.check_upload(helpers.odt()) == ".odt"


def test_only_knowledge_managers_change_the_hub(make_user):
    for role in ("national_analyst", "site_lead", "host_coordinator"):
        with pytest.raises(PermissionDenied):
            helpers.resource(make_user(role))


def test_replacing_and_removing_the_file(
    admin_client, admin, private_media, django_capture_on_commit_callbacks
):
    resource = helpers.resource(admin, upload=helpers.pdf("old.pdf"))
    old = Path(resource.file.path)
    url = reverse("knowledge:resource-edit", args=[resource.slug])
    form = {"kind": "learning_report", "title": resource.title, "summary": "Updated."}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**form, "file": helpers.odt("new.odt")})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.file_name == "new.odt"
    assert not old.exists()  # the replaced file is deleted once the change is saved
    assert len(_stored(private_media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**form, "remove_file": "on"})
    resource.refresh_from_db()
    assert not resource.file and resource.file_name == ""
    assert _stored(private_media) == []
    changes = [
        e.changes
        for e in AuditEvent.objects.filter(
            object_type="knowledge.Resource", verb="update"
        ).order_by("pk")
    ]
    assert changes[0]["file"] == ["old.pdf", "new.odt (new upload)"]
    assert changes[1]["file"] == ["new.odt", ""]


def test_drafts_and_their_files_are_hidden_from_the_public(client, admin):
    draft = helpers.resource(admin, published=False, upload=helpers.pdf())
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("knowledge:resource-file", args=[draft.slug])).status_code == 404


def test_a_title_already_used_is_explained_about_the_title(admin_client, admin):
    helpers.resource(admin, title="Learning from wave 1")
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {"kind": "learning_report", "title": "Learning from wave 1", "summary": "Again."},
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Another resource already has this title" in page
    assert 'href="#id_title"' in page
    # Said once, about the title the person typed, not the web address they left blank.
    assert "A resource with this web address already exists" not in page
    assert Resource.objects.count() == 1

    # A web address typed in that is taken is said about the web address.
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {
            "kind": "learning_report",
            "title": "Another report",
            "summary": "Again.",
            "slug": "learning-from-wave-1",
        },
    )
    assert "A resource with this web address already exists" in _text(response)
    # A new title with its own address is fine.
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {"kind": "learning_report", "title": "Learning from wave 1, part 2", "summary": "More."},
    )
    assert response.status_code == 302
