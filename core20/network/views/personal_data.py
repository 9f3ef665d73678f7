"""Connectors' personal data: a copy of what is held (for the connector, and for the host
coordinator answering a request) and erasure on request. Rules in
core20.network.personal_data; who may: the site's host coordinators (they alone see
everything held, confidential notes included) and, for their own copy, the connector."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core20.network.models import Connector
from core20.network.personal_data import (
    copy_of_personal_data,
    erase_connector,
    erasure_problem,
)
from core20.network.views.common import add_action_errors, connector_crumbs
from core20.network.views.coordinator import _connector_for_host
from core20.web.forms import EraseForm

ERASED = [
    "their name, email address and phone number, and their account if they have no other role",
    "what they told us: motivation, skills, interests, availability, languages and wards",
    "their lived experience",
    "check references and notes, training evidence, and the reasons given when they changed stage",
    "supervision and check-in notes, wellbeing flags, development goals and pathway notes",
    "notes about benefits on their payments",
]
KEPT = [
    "that a connector was at {site}: their stages and dates, role type and communities, for "
    "the programme's counts",
    "the types and dates of their checks and training",
    "their hours, expense claims, receipts and payments, which finance must keep",
    "the activities and insights they recorded, as community evidence no longer linked to them",
    "the audit log, which records what was done and by whom",
]


def _download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def connector_data(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Everything held about one connector, confidential notes included, as JSON."""
    connector = _connector_for_host(request, slug, pk)
    (data,) = copy_of_personal_data(connectors=[connector], by=request.user, confidential=True)
    day = timezone.localdate().isoformat()
    return _download(data, f"connector-{connector.pk}-personal-data-{day}.json")


@login_required
def me_data(request: HttpRequest) -> HttpResponse:
    """A connector's own copy of what is held about them (every site they connect at),
    without the host coordinators' confidential notes."""
    records = list(Connector.objects.for_user(request.user).select_related("site"))
    if not records:
        raise Http404
    copies = copy_of_personal_data(connectors=records, by=request.user, confidential=False)
    return _download(
        {"connector_records": copies}, f"my-connector-data-{timezone.localdate().isoformat()}.json"
    )


@login_required
def connector_erase(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = _connector_for_host(request, slug, pk)
    problem = erasure_problem(connector)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            erase_connector(
                connector=connector, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Their personal details have been erased.")
            return redirect("network:connector-detail", slug=slug, pk=pk)
    return render(
        request,
        "includes/erase_page.html",
        {
            "form": form,
            "problem": problem,
            "intro": (
                f"Do this when {connector.name} asks us to, or when we no longer need their "
                "details. It cannot be undone. Download a copy of their data first if they "
                "asked for one."
            ),
            "erased": ERASED,
            "kept": [KEPT[0].format(site=connector.site.name), *KEPT[1:]],
            "title": f"Erase {connector.name}'s personal details",
            "cancel_url": connector.get_absolute_url(),
            "breadcrumbs": connector_crumbs(connector),
        },
    )
