"""Checking uploaded files, for every app that takes them (selection documents, knowledge
hub resources, expense receipts): an accepted extension, not empty, at most 10 MB, and
content that is what the extension says, by its first bytes:

- PDF: ``%PDF-`` (within the first 1,024 bytes, as PDF readers allow);
- DOCX: a ZIP archive (``PK\\x03\\x04``) holding ``[Content_Types].xml`` that declares a Word
  document (``wordprocessingml.document.main+xml``);
- ODT: a ZIP archive whose first entry is ``mimetype``, stored uncompressed, reading
  ``application/vnd.oasis.opendocument.text`` (the OpenDocument rule).

So a program or a web page renamed to ``report.pdf`` is refused. The checks read at most
64 KB of an archive's contents, whatever its size. Each app words its own messages through
``check_upload``'s arguments.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MB

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

DOCUMENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".odt": ODT}

ZIP_MAGIC = b"PK\x03\x04"
_HEAD = 1024
_XML_LIMIT = 64 * 1024


def read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    return head


def is_pdf(upload, head: bytes) -> bool:
    return b"%PDF-" in head


def is_odt(upload, head: bytes) -> bool:
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


def is_docx(upload, head: bytes) -> bool:
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


DOCUMENT_SNIFFERS = {".pdf": is_pdf, ".docx": is_docx, ".odt": is_odt}


def check_upload(
    upload,
    *,
    content_types: dict[str, str],
    labels: dict[str, str],
    sniffers: dict,
    wrong_type: str,
    subject: str,
    advice: str,
) -> str:
    """The checks every upload goes through: an accepted extension, not empty, at most 10 MB,
    and content that is what the extension says (``sniffers[extension](upload, head)``).
    Returns the content type; raises ValidationError worded with ``wrong_type`` (the message
    for an unaccepted extension), ``subject`` ("The selected file") and ``advice`` (what to
    choose instead of a file that is not what its name says)."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in content_types:
        raise ValidationError(wrong_type, code="file_type")
    if not upload.size:
        raise ValidationError("The selected file is empty", code="file_empty")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"{subject} must be smaller than 10 MB (it is {filesizeformat(upload.size)})",
            code="file_size",
        )
    if not sniffers[extension](upload, read_head(upload)):
        raise ValidationError(
            f"The selected file is not a real {labels[extension]} file, although its name "
            f"ends in {extension}. {advice}",
            code="file_content",
        )
    return content_types[extension]


def display_name(name: str) -> str:
    """The uploaded file's own name, without any folder, for showing and downloading."""
    return Path(name.replace("\\", "/")).name[:255] or "document"
