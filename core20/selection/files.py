"""Checking uploaded documents: the prior information pack and applicants' attachments.

A file is accepted only if its name ends in .pdf, .docx or .odt, it is no bigger than
10 MB, and its first bytes are what that type of file starts with:

- PDF: ``%PDF-`` (within the first 1,024 bytes, as PDF readers allow);
- DOCX: a ZIP archive (``PK\\x03\\x04``) holding ``[Content_Types].xml`` that declares a Word
  document (``wordprocessingml.document.main+xml``);
- ODT: a ZIP archive whose first entry is ``mimetype``, stored uncompressed, reading
  ``application/vnd.oasis.opendocument.text`` (the OpenDocument rule).

So a program or a web page renamed to ``report.pdf`` is refused. The checks read at most
64 KB of the archive's contents, whatever its size.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_ATTACHMENTS = 5

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

CONTENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".odt": ODT}
LABELS = {".pdf": "PDF", ".docx": "Word (DOCX)", ".odt": "OpenDocument text (ODT)"}
ACCEPT = ",".join(CONTENT_TYPES)  # for <input type="file" accept="…">

ZIP_MAGIC = b"PK\x03\x04"
_HEAD = 1024
_XML_LIMIT = 64 * 1024


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    return head


def _is_pdf(upload, head: bytes) -> bool:
    return b"%PDF-" in head


def _is_odt(upload, head: bytes) -> bool:
    if not head.startswith(ZIP_MAGIC) or len(head) < 30:
        return False
    compression = int.from_bytes(head[8:10], "little")
    name_length = int.from_bytes(head[26:28], "little")
    extra_length = int.from_bytes(head[28:30], "little")
    name = head[30 : 30 + name_length]
    start = 30 + name_length + extra_length
    expected = ODT.encode()
    return (
        compression == 0 and name == b"mimetype" and head[start : start + len(expected)] == expected
    )


def _is_docx(upload, head: bytes) -> bool:
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        upload.seek(0)
        with (
            zipfile.ZipFile(upload) as archive,
            archive.open("[Content_Types].xml") as types,
        ):
            declared = types.read(_XML_LIMIT)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False
    finally:
        upload.seek(0)
    return b"wordprocessingml.document.main+xml" in declared


_SNIFFERS = {".pdf": _is_pdf, ".docx": _is_docx, ".odt": _is_odt}


def validate_document(upload) -> str:
    """Check an uploaded file; return its content type (from what it is, not from what the
    browser said). Raises ValidationError with a message for the person uploading it."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError("The selected file must be a PDF, DOCX or ODT", code="file_type")
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="file_empty")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"The selected file must be smaller than 10 MB (it is {filesizeformat(upload.size)})",
            code="file_size",
        )
    if not _SNIFFERS[extension](upload, _head(upload)):
        raise ValidationError(
            f"The selected file is not a real {LABELS[extension]} file, although its name "
            f"ends in {extension}. Choose a PDF, DOCX or ODT file",
            code="file_content",
        )
    return CONTENT_TYPES[extension]


def display_name(name: str) -> str:
    """The uploaded file's own name, without any folder, for showing and downloading."""
    return Path(name.replace("\\", "/")).name[:255] or "document"
