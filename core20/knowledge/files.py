"""Checking files uploaded to the knowledge hub: PDF, Word (.docx) or OpenDocument text
(.odt), 10 MB at most, and the content must match the extension (a renamed program or
spreadsheet is refused). The checks are core20.web.uploads', shared with the other apps
that take documents; the wording is the hub's."""

from pathlib import Path

from core20.web.uploads import DOCUMENT_SNIFFERS, DOCUMENT_TYPES
from core20.web.uploads import check_upload as check_file

CONTENT_TYPES = DOCUMENT_TYPES
LABELS = {".pdf": "PDF", ".docx": "DOCX", ".odt": "ODT"}


def check_upload(upload) -> str:
    """The file's extension (".pdf", ".docx" or ".odt"), or a ValidationError saying what
    is wrong with it."""
    check_file(
        upload,
        content_types=CONTENT_TYPES,
        labels=LABELS,
        sniffers=DOCUMENT_SNIFFERS,
        wrong_type=(
            "The file must be a PDF, a Word document (.docx) or an OpenDocument text file (.odt)"
        ),
        subject="The file",
        advice="Check it opens, then upload it again.",
    )
    return Path(upload.name or "").suffix.lower()
