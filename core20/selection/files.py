"""The selection app's documents: the prior information pack and applicants' attachments,
checked by core20.web.uploads (PDF, DOCX or ODT, 10 MB at most, content matching the name)."""

from core20.web.uploads import DOCUMENT_SNIFFERS, DOCUMENT_TYPES, check_upload

MAX_ATTACHMENTS = 5
LABELS = {".pdf": "PDF", ".docx": "Word (DOCX)", ".odt": "OpenDocument text (ODT)"}
ACCEPT = ",".join(DOCUMENT_TYPES)  # for <input type="file" accept="…">


def validate_document(upload) -> str:
    """Check an uploaded file; return its content type (from what it is, not from what the
    browser said). Raises ValidationError with a message for the person uploading it."""
    return check_upload(
        upload,
        content_types=DOCUMENT_TYPES,
        labels=LABELS,
        sniffers=DOCUMENT_SNIFFERS,
        wrong_type="The selected file must be a PDF, DOCX or ODT",
        subject="The selected file",
        advice="Choose a PDF, DOCX or ODT file",
    )
