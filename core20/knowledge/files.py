"""Checking files uploaded to the knowledge hub: PDF, Word (.docx) or OpenDocument text
(.odt), 10 MB at most, and the content must match the extension (a renamed program or
spreadsheet is refused).

- PDF: starts with ``%PDF-``.
- DOCX: a ZIP package holding ``[Content_Types].xml`` and ``word/document.xml``.
- ODT: a ZIP package whose ``mimetype`` entry says
  ``application/vnd.oasis.opendocument.text``.

Only the ZIP's list of names and the tiny ``mimetype`` entry are read, never the documents
themselves, so a crafted archive cannot make the check expensive.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ZIP_MAGIC = b"PK\x03\x04"


def _zip_names(upload) -> tuple[zipfile.ZipFile, set[str]] | None:
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        return archive, set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def check_upload(upload) -> str:
    """The file's extension (".pdf", ".docx" or ".odt"), or a ValidationError saying what
    is wrong with it."""
    name = Path(upload.name or "").name
    extension = Path(name).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            "The file must be a PDF, a Word document (.docx) or an OpenDocument text file (.odt)",
            code="extension",
        )
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError("The file must be smaller than 10 MB", code="too_big")
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    upload.seek(0)
    head = upload.read(8)
    wrong = ValidationError(
        f"The file is not a real {extension.lstrip('.').upper()} file. Check it opens, then "
        "upload it again.",
        code="content",
    )
    if extension == ".pdf":
        if not head.startswith(b"%PDF-"):
            raise wrong
    else:
        if not head.startswith(ZIP_MAGIC):
            raise wrong
        found = _zip_names(upload)
        if found is None:
            raise wrong
        archive, names = found
        if extension == ".docx":
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                raise wrong
        else:
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
                raise wrong
            if archive.read("mimetype").strip() != ODT_MIMETYPE:
                raise wrong
    upload.seek(0)
    return extension
