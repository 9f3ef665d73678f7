"""Checking receipts: a PDF, JPEG or PNG, 10 MB at most, whose content is what its name says.

The size limit, the PDF check (``%PDF-`` within the first 1,024 bytes), reading the head of a
file and cleaning the uploaded name come from core20.selection.files, so every upload in the
service follows the same rules; the image checks are the files' signatures:

- JPEG: ``FF D8 FF``;
- PNG: ``89 50 4E 47 0D 0A 1A 0A``.

So a program or web page renamed to ``receipt.jpg`` is refused.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from core20.selection.files import MAX_FILE_SIZE, _head, _is_pdf, display_name

__all__ = ["ACCEPT", "MAX_FILE_SIZE", "display_name", "validate_receipt"]

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
LABELS = {".pdf": "PDF", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
ACCEPT = ",".join(CONTENT_TYPES)  # for <input type="file" accept="…">


def _is_jpeg(upload, head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _is_png(upload, head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


_SNIFFERS = {".pdf": _is_pdf, ".jpg": _is_jpeg, ".jpeg": _is_jpeg, ".png": _is_png}


def validate_receipt(upload) -> str:
    """Check an uploaded receipt; return its content type (from what it is, not from what
    the browser said). Raises ValidationError with a message for the person uploading it."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ValidationError("The receipt must be a PDF, JPEG or PNG file", code="file_type")
    if not upload.size:
        raise ValidationError("The selected file is empty", code="file_empty")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"The receipt must be smaller than 10 MB (it is {filesizeformat(upload.size)})",
            code="file_size",
        )
    if not _SNIFFERS[extension](upload, _head(upload)):
        raise ValidationError(
            f"The selected file is not a real {LABELS[extension]} file, although its name "
            f"ends in {extension}. Take a photo or scan of the receipt and upload that",
            code="file_content",
        )
    return CONTENT_TYPES[extension]
