"""The stakeholder mailing list's public pages: sign up (with explicit consent), check your
email, confirm (double opt-in) and unsubscribe. None needs signing in.

The unsubscribe address is the one view exempt from CSRF: mail programs POST
"List-Unsubscribe=One-Click" to it (RFC 8058) with no session or token of ours. The signed
token in the address is what protects it, and all it can do is take that one address off
the list.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core20.knowledge import actions, tokens
from core20.knowledge.forms import SignUpForm
from core20.knowledge.views.resources import hub_crumbs
from core20.web.absolute import base_url

# The address just typed on the sign-up page, kept in the session (never in the address
# bar) so that "Check your email" can say where the email went. That page takes it out
# again: the session keeps no copy of the address once it has been shown.
SENT_TO = "knowledge_signup_email"


def _actor(request):
    return request.user if request.user.is_authenticated else None


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.sign_up(
            email=data["email"],
            name=data["name"],
            organisation=data["organisation"],
            consent=data["consent"],
            base_url=base_url(request),
            by=_actor(request),
        )
        request.session[SENT_TO] = data["email"].strip().lower()
        return redirect("knowledge:mailing-list-check-email")
    return render(
        request,
        "knowledge/signup.html",
        {
            "form": form,
            "confirm_days": tokens.CONFIRM_DAYS,
            "breadcrumbs": hub_crumbs(),
        },
    )


@never_cache
def check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/check_email.html",
        {
            "sent_to": request.session.pop(SENT_TO, ""),
            "confirm_days": tokens.CONFIRM_DAYS,
            "breadcrumbs": hub_crumbs(),
        },
    )


def _link_not_valid(request, what: str) -> HttpResponse:
    return render(
        request,
        "knowledge/link_not_valid.html",
        {"what": what, "confirm_days": tokens.CONFIRM_DAYS, "breadcrumbs": hub_crumbs()},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link checkers in mail systems open links, and must not sign
    anyone up); POST confirms."""
    if tokens.read_confirm_token(token) is None:
        return _link_not_valid(request, "confirm")
    if request.method == "POST":
        try:
            actions.confirm(token=token, by=_actor(request))
        except actions.LinkNotValid:
            return _link_not_valid(request, "confirm")
        return render(request, "knowledge/confirmed.html", {"breadcrumbs": hub_crumbs()})
    return render(request, "knowledge/confirm.html", {"breadcrumbs": hub_crumbs()})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (from that button, or a mail program's one-click request)
    unsubscribes at once."""
    if tokens.read_unsubscribe_token(token) is None:
        return _link_not_valid(request, "unsubscribe")
    if request.method == "POST":
        actions.unsubscribe(token=token, by=_actor(request))
        return render(
            request,
            "knowledge/unsubscribed.html",
            {"signup_url": reverse("knowledge:mailing-list-signup"), "breadcrumbs": hub_crumbs()},
        )
    return render(request, "knowledge/unsubscribe.html", {"breadcrumbs": hub_crumbs()})
