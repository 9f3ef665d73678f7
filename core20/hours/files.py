"""Checking receipts: a PDF, JPEG or PNG, 10 MB at most, whose content is what its name says.

The checks themselves (extension, empty, size, content), the PDF check (``%PDF-`` within the
first 1,024 bytes) and cleaning the uploaded name come from core20.web.uploads, so every
upload in the service follows the same rules; the image checks are the files' signatures:

- JPEG: ``FF D8 FF``;
- PNG: ``89 50 4E 47 0D 0A 1A 0A``.

So a program or web page renamed to ``receipt.jpg`` is refused.
"""

from core20.web.uploads import MAX_FILE_SIZE, check_upload, display_name, is_pdf

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


_SNIFFERS = {".pdf": is_pdf, ".jpg": _is_jpeg, ".jpeg": _is_jpeg, ".png": _is_png}


def validate_receipt(upload) -> str:
    """Check an uploaded receipt; return its content type (from what it is, not from what
    the browser said). Raises ValidationError with a message for the person uploading it."""
    return check_upload(
        upload,
        content_types=CONTENT_TYPES,
        labels=LABELS,
        sniffers=_SNIFFERS,
        wrong_type="The receipt must be a PDF, JPEG or PNG file",
        subject="The receipt",
        advice="Take a photo or scan of the receipt and upload that",
    )
