"""Knowledge test data: resources (with real small files) and subscribers."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core20.knowledge import actions
from core20.knowledge.models import Subscriber

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="report.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="report.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def odt(name="report.odt", mimetype=b"application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def resource(by, *, published=True, upload=None, **data):
    values = {
        "kind": "learning_report",
        "title": "Learning from wave 1",
        "summary": "What the first sites learned.",
        "published": published,
        **data,
    }
    if upload is not None:
        values["file"] = upload
    return actions.create_resource(data=values, by=by)


def subscriber(email="pat@example.org", *, confirmed=True, **kwargs) -> Subscriber:
    now = timezone.now()
    return Subscriber.objects.create(
        email=email,
        consent_text=actions.CONSENT_TEXT,
        consented_at=now,
        confirmation_sent_at=now,
        confirmed_at=now if confirmed else None,
        **kwargs,
    )
