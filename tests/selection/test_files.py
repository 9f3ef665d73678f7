"""Document checks: type by name and by content, size, and the 5-file limit."""

import pytest
from django.core.exceptions import ValidationError

from core20.selection.files import validate_document
from core20.web.uploads import DOCX, MAX_FILE_SIZE, ODT, PDF
from tests.selection.helpers import docx_bytes, odt_bytes, pdf_bytes, upload, xlsx_like_zip


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plan.pdf", pdf_bytes(), PDF),
        ("PLAN.PDF", pdf_bytes(), PDF),
        ("plan.docx", docx_bytes(), DOCX),
        ("plan.odt", odt_bytes(), ODT),
    ],
)
def test_real_documents_are_accepted_with_the_type_they_really_are(name, content, expected):
    assert validate_document(upload(name, content, "text/plain")) == expected


@pytest.mark.parametrize("name", ["plan.exe", "plan.html", "plan.doc", "plan", "plan.pdf.exe"])
def test_other_extensions_are_refused(name):
    with pytest.raises(ValidationError) as exc:
        validate_document(upload(name, pdf_bytes()))
    assert exc.value.messages == ["The selected file must be a PDF, DOCX or ODT"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # A program or a web page renamed to look like a document.
        ("plan.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),
        ("plan.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        # A PDF renamed .docx, and a spreadsheet renamed .docx.
        ("plan.docx", pdf_bytes()),
        ("plan.docx", xlsx_like_zip()),
        # A Word document renamed .odt, and a PDF renamed .odt.
        ("plan.odt", docx_bytes()),
        ("plan.odt", pdf_bytes()),
        # Something that starts like a ZIP archive but is not one.
        ("plan.docx", b"PK\x03\x04" + b"\x00" * 200),
    ],
)
def test_spoofed_extensions_are_refused_by_their_content(name, content):
    with pytest.raises(ValidationError) as exc:
        validate_document(upload(name, content))
    assert exc.value.code == "file_content"
    assert "is not a real" in exc.value.messages[0]


def test_files_over_10_mb_are_refused():
    too_big = upload("plan.pdf", pdf_bytes(padding=MAX_FILE_SIZE))
    with pytest.raises(ValidationError) as exc:
        validate_document(too_big)
    assert exc.value.messages[0].startswith("The selected file must be smaller than 10 MB")


def test_a_file_of_exactly_10_mb_is_accepted():
    content = pdf_bytes()
    exact = upload("plan.pdf", content + b"0" * (MAX_FILE_SIZE - len(content)))
    assert exact.size == MAX_FILE_SIZE
    assert validate_document(exact) == PDF


def test_empty_files_are_refused():
    with pytest.raises(ValidationError) as exc:
        validate_document(upload("plan.pdf", b""))
    assert exc.value.messages == ["The selected file is empty"]
