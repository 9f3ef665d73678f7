"""Test data for selection: documents that are (or pretend to be) PDF, DOCX and ODT files,
calls, and applications in each state. Plain functions (no fixtures), so that matrix.py can
use them too."""

import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core20.places.models import ICB, Region
from core20.programme.models import ClinicalArea, PlusGroup, Site
from core20.selection.models import (
    Answer,
    Application,
    Attachment,
    Call,
    ConflictDeclaration,
    Criterion,
    PanelAppointment,
    Question,
)

# ---- documents ----


def pdf_bytes(padding: int = 0) -> bytes:
    body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
    return body + b"0" * padding + b"%%EOF\n"


def _entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry with a fixed date, so the same document gives the same bytes."""
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(_entry("word/document.xml"), "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            _entry("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            _entry("content.xml"),
            "<office:document-content/>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def xlsx_like_zip() -> bytes:
    """A ZIP archive that is not a Word document (a spreadsheet's content types)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types><Override ContentType='application/vnd.openxmlformats-officedocument."
            "spreadsheetml.sheet.main+xml'/></Types>",
        )
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# ---- places and the programme's lists ----


def place():
    region, _ = Region.objects.get_or_create(code="E40000981", defaults={"name": "Eastshire"})
    icb, _ = ICB.objects.get_or_create(
        code="E54000981",
        defaults={"name": "NHS Eastshire Integrated Care Board", "region": region},
    )
    return region, icb


def taxonomy():
    area, _ = ClinicalArea.objects.get_or_create(
        code="test-hypertension",
        defaults={"name": "Hypertension case-finding", "group": ClinicalArea.Group.ADULT},
    )
    group, _ = PlusGroup.objects.get_or_create(
        code="test-inclusion-health", defaults={"name": "Inclusion health groups"}
    )
    return area, group


# ---- calls and applications ----


def today():
    return timezone.localdate()


def make_call(wave, *, opens: int = -10, closes: int = 10, **fields) -> Call:
    """A call opening ``opens`` days from today and closing ``closes`` days from today,
    already opened by the national team (pass status=Call.Status.DRAFT for a draft)."""
    fields.setdefault("title", "Wave 9 expressions of interest")
    fields.setdefault("status", Call.Status.PUBLISHED)
    fields.setdefault("summary", "Apply to join the programme.")
    return Call.objects.create(
        wave=wave,
        opens_on=today() + timedelta(days=opens),
        closes_on=today() + timedelta(days=closes),
        **fields,
    )


def close(call, *, days_ago: int = 1) -> Call:
    """Move the call's dates so that it closed ``days_ago`` days ago: the panel scores once
    a call has closed."""
    length = call.closes_on - call.opens_on
    call.closes_on = today() - timedelta(days=days_ago)
    call.opens_on = call.closes_on - length
    call.save(update_fields=["opens_on", "closes_on"])
    return call


def add_questions(call, *limits) -> list[Question]:
    return [
        Question.objects.create(call=call, position=n, text=f"Question {n} text", word_limit=limit)
        for n, limit in enumerate(limits, start=1)
    ]


def add_criteria(call, *specs) -> list[Criterion]:
    """specs: (name, weight, max_score) tuples."""
    return [
        Criterion.objects.create(call=call, position=n, name=name, weight=weight, max_score=top)
        for n, (name, weight, top) in enumerate(specs, start=1)
    ]


def fill(application: Application, *, answer: str = "Our answer.") -> Application:
    """Give a draft everything it needs to be submitted."""
    region, icb = place()
    area, group = taxonomy()
    application.organisation_name = "NHS Eastshire ICB"
    application.kind = Site.Kind.PLACE
    application.ics_name = "Eastshire ICS"
    application.place = "Eastby"
    application.summary = "Connectors in Eastby's most deprived wards."
    application.communities_note = "Gypsy, Roma and Traveller communities"
    application.contact_name = "Pat Contact"
    application.contact_email = "pat@eastshire.example.org"
    application.contact_phone = "01234 567890"
    application.save()
    application.regions.set([region])
    application.icbs.set([icb])
    application.focus_areas.set([area])
    application.communities.set([group])
    for question in application.call.questions.all():
        Answer.objects.update_or_create(
            application=application, question=question, defaults={"text": answer}
        )
    return application


def make_application(call, applicant, *, status=Application.Status.DRAFT, filled=True):
    application = Application.objects.create(call=call, applicant=applicant)
    if filled:
        fill(application)
    if status != Application.Status.DRAFT:
        application.status = status
        application.submitted_at = timezone.now()
        application.save()
    return application


def appoint(call, user, member_type=PanelAppointment.MemberType.VCSE) -> PanelAppointment:
    from core20.accounts.models import Membership

    if not Membership.objects.filter(user=user, role="panel_member", ended_at__isnull=True):
        Membership.objects.create(user=user, role="panel_member")
        user.forget_memberships()
    return PanelAppointment.objects.create(call=call, user=user, member_type=member_type)


def declare(appointment, application, conflict=False, details=""):
    return ConflictDeclaration.objects.create(
        appointment=appointment, application=application, has_conflict=conflict, details=details
    )


def store_attachment(application, content: bytes | None = None, name="plan.pdf") -> Attachment:
    attachment = Attachment(
        application=application,
        name=name,
        content_type="application/pdf",
        size=len(content or pdf_bytes()),
    )
    attachment.file.save(name, ContentFile(content or pdf_bytes()), save=True)
    return attachment


def store_pack(call, content: bytes | None = None, name="Prior information pack.pdf") -> Call:
    call.pack.save(name, ContentFile(content or pdf_bytes()), save=False)
    call.pack_name = name
    call.pack_content_type = "application/pdf"
    call.pack_size = len(content or pdf_bytes())
    call.save()
    return call
