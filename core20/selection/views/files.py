"""Downloads. Files are never at a public address: each is read from private storage and
sent by these views after checking who is asking.

- the prior information pack: anyone who can see the call;
- an attachment: the applicant; national admins and the call's panel members once the
  application has been submitted. Anyone else gets a 404, so nothing is given away.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from core20.selection.actions import appointment_for
from core20.selection.models import Attachment
from core20.selection.views.common import can_manage, get_visible_call


def _send(field_file, *, name: str, content_type: str) -> HttpResponse:
    """The whole file in one response (files are at most 10 MB), so the file is closed
    before the response leaves the view."""
    try:
        with field_file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response


def call_pack(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_call(request.user, pk)
    if not call.pack:
        raise Http404
    return _send(call.pack, name=call.pack_name, content_type=call.pack_content_type)


def may_see_application(user, application) -> bool:
    if application.applicant_id == user.pk:
        return True
    if application.is_draft:
        return False
    return can_manage(user) or appointment_for(user, application.call) is not None


@login_required
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.select_related("application__call"), pk=file_pk, application_id=pk
    )
    if not may_see_application(request.user, attachment.application):
        raise Http404
    return _send(attachment.file, name=attachment.name, content_type=attachment.content_type)
