"""The pages anyone can use (the expression-of-interest form) and a connector's own space."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core20.network import actions, home, visibility
from core20.network.forms import GoalForm, InterestForm
from core20.network.models import Connector, PathwayStep, TrainingCompletion
from core20.network.views.common import add_action_errors, network_crumbs
from core20.programme.models import Site
from core20.programme.queries import visible_sites
from core20.web import absolute


def interest(request: HttpRequest, slug: str) -> HttpResponse:
    """The public expression-of-interest form for a site. No account needed.

    A site hidden from the viewer (unpublished) is a 404, as its page is. A site the viewer
    can see that takes no expressions of interest (closed, or proposed and not selected yet)
    shows neither the form nor accepts one, whatever the method: it says so and points to
    the other sites."""
    site = get_object_or_404(visible_sites(request.user), slug=slug)
    if not site.takes_expressions_of_interest:
        return _not_recruiting(request, site)
    form = InterestForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_interest(
                site=site, data=form.action_data(), base_url=absolute.base_url(request)
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("network:interest-sent", slug=site.slug)
    return render(
        request,
        "network/interest.html",
        {
            "form": form,
            "site": site,
            "title": f"Become a community connector in {site.place or site.name}",
            "breadcrumbs": [("Home", reverse("web:home")), (site.name, site.get_absolute_url())],
        },
    )


def _not_recruiting(request: HttpRequest, site: Site) -> HttpResponse:
    # A closed site: 410 Gone, not 200: the form at this address has been withdrawn on
    # purpose, and the status says so to search engines and link checkers (so old links in
    # emails, posters and saved data packs drop out of search results) while people still
    # read the page. Not 404: the site is public and its page still works, so "not found"
    # would be wrong. A proposed site is not recruiting *yet*: the page is 200, as the form
    # will be there once the site is selected.
    # no-cache because a site can be reopened (or selected): the form must come back at once.
    not_yet = site.status == Site.Status.PROPOSED
    response = render(
        request,
        "network/interest_closed.html",
        {
            "site": site,
            "not_yet": not_yet,
            "breadcrumbs": [("Home", reverse("web:home")), (site.name, site.get_absolute_url())],
        },
        status=200 if not_yet else 410,
    )
    response["Cache-Control"] = "no-cache"
    return response


def interest_sent(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(visible_sites(request.user), slug=slug)
    if not site.takes_expressions_of_interest:
        # Its "someone will be in touch" would promise what a closed (or proposed) site
        # will not do.
        return _not_recruiting(request, site)
    return render(
        request,
        "network/interest_sent.html",
        {
            "site": site,
            "breadcrumbs": [("Home", reverse("web:home")), (site.name, site.get_absolute_url())],
        },
    )


def _own_records(user):
    return (
        Connector.objects.for_user(user)
        .select_related("site", "host_organisation")
        .prefetch_related(
            "communities",
            "wards",
            "checks__check_type",
            "goals",
            Prefetch("pathway", queryset=PathwayStep.objects.order_by("-started_on", "-pk")),
            Prefetch(
                "training_completions",
                queryset=TrainingCompletion.objects.select_related("module").order_by(
                    "-completed_on", "-pk"
                ),
            ),
        )
        .order_by("site__name", "pk")
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """A connector's own home: what training is due next, quick links, and their records.
    Mobile first: one column, the most urgent thing at the top."""
    today = timezone.localdate()
    connectors = list(_own_records(request.user))
    # The header asks whether they have a record: this page knows.
    visibility.note_own_records(request.user, connectors)
    due = home.own_training_due(request.user, today, connectors)
    ended = home.role_ended(request.user, connectors)
    records = []
    for connector in connectors:
        latest = {}
        for completion in connector.training_completions.all():
            latest.setdefault(completion.module_id, completion)
        training_due = due[connector.pk]
        records.append(
            {
                "connector": connector,
                "to_renew": training_due.to_renew,
                "still_to_do": training_due.still_to_do,
                "later": training_due.later,
                "training": sorted(latest.values(), key=lambda c: c.module.title),
                "goal_form": GoalForm(prefix=f"goal-{connector.pk}"),
                "role_ended": connector.pk in ended,
                "contacts": ended.get(connector.pk, []),
            }
        )
    return render(
        request,
        "network/me.html",
        {
            "records": records,
            "hours": home.own_hours(connectors, user=request.user),
            "renewal_days": home.DEFAULT_DAYS,
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


@login_required
def me_goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A connector adds a development goal of their own."""
    connector = get_object_or_404(
        Connector.objects.for_user(request.user).select_related("site"), pk=pk
    )
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_goal(connector=connector, by=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Your goal has been added.")
            return redirect("network:me")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add a development goal",
            "intro": "Something you would like to learn or do. Your coordinator will see it too.",
            "submit_label": "Add goal",
            "cancel_url": reverse("network:me"),
            "breadcrumbs": network_crumbs(("Your connector home", reverse("network:me"))),
        },
    )
