"""Pages for hours, expense claims and payments.

- A connector's own space (``mine``): their hours and time credits, their claims and their
  payments; they log hours and write claims there. They only ever see their own records.
  Someone with no connector record who manages hours (CLAIM_APPROVE) is sent to ``sites``.
- A site's page (``site``) for its coordinators (CLAIM_APPROVE: the site lead, the host
  coordinator) and national admins: every hours entry they may approve (all of those the home
  page counts, ``TO_APPROVE_PAGE`` at a time with ``?page=``), every connector's hours,
  claims waiting for a decision, payments, time-credit settings and the finance export.
  ``sites`` lists the sites the user manages, or goes straight to the site's page for
  someone who manages only one.

Someone else's claim or payment, or a site the user may not see, is a 404; a page the user
may not use is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from core20.accounts.authorization import has_any_permission, sites_where
from core20.accounts.permissions import Permission
from core20.hours import actions, finance
from core20.hours.forms import (
    APPROVE,
    ClaimForm,
    CreditSettingForm,
    DecisionForm,
    ExportForm,
    HoursForm,
    ItemForm,
    PaidForm,
    PaymentForm,
    ReceiptForm,
    add_action_errors,
)
from core20.hours.home import hours_to_approve
from core20.hours.models import ExpenseClaim, ExpenseItem, HoursEntry, Payment, Receipt
from core20.network.models import Connector
from core20.programme.models import Site
from core20.programme.queries import visible_sites
from core20.web.dashboard import one_site_slug

Status = ExpenseClaim.Status
RECENT = 50
# Hours to approve on a site's page, a page at a time (``?page=``, the only paged list there).
TO_APPROVE_PAGE = 50


# ---- helpers ----


def _home_crumbs() -> list[tuple[str, str]]:
    return [("Home", reverse("web:home"))]


def _mine_crumbs() -> list[tuple[str, str]]:
    return [*_home_crumbs(), ("Your hours and expenses", reverse("hours:mine"))]


def _sites_crumbs(user) -> list[tuple[str, str]]:
    """The list of sites, except for someone who manages one site only: for them
    ``hours:sites`` is that site's page."""
    if one_site_slug(user, sites_where(user, Permission.CLAIM_APPROVE)) is not None:
        return _home_crumbs()
    return [*_home_crumbs(), ("Hours and expenses", reverse("hours:sites"))]


def _site_crumbs(request, site) -> list[tuple[str, str]]:
    return [
        *_sites_crumbs(request.user),
        (site.name, reverse("hours:site", args=[site.slug])),
    ]


def _managed_site(request, slug: str) -> Site:
    """The site, if the user may see it (404) and manage its hours and money (403)."""
    site = get_object_or_404(visible_sites(request.user), slug=slug)
    if not actions.may_manage(request.user, site):
        raise PermissionDenied
    return site


def _own_connector(request) -> Connector:
    connector = actions.connector_for(request.user)
    if connector is None:
        raise PermissionDenied
    return connector


def _refusal(user, connector) -> str | None:
    """Why ``user`` may not log hours or claim expenses for themself now (they have left or
    are paused), by the actions' own rule; None when they may."""
    try:
        actions._require_active_self(user, connector)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def _refused(request, connector) -> HttpResponse | None:
    """Before they fill in a form the action would refuse: someone who may not record for
    themself now goes back to their hours page, told why."""
    if refusal := _refusal(request.user, connector):
        messages.error(request, refusal)
        return redirect("hours:mine")
    return None


def _claim(request, pk: int) -> ExpenseClaim:
    claim = get_object_or_404(
        ExpenseClaim.objects.select_related(
            "connector", "site", "submitted_by", "decided_by", "paid_by"
        ),
        pk=pk,
    )
    if not actions.may_see_claim(request.user, claim):
        raise Http404
    return claim


def _claim_crumbs(request, claim) -> list[tuple[str, str]]:
    if actions.is_self(request.user, claim.connector):
        return _mine_crumbs()
    return _site_crumbs(request, claim.site)


def _form_page(
    request,
    form,
    *,
    title,
    crumbs,
    submit_label,
    cancel_url,
    intro="",
    template="includes/form_page.html",
    **extra,
):
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": crumbs,
            **extra,
        },
    )


def _site_connectors(site):
    """The connectors a coordinator may record for: everyone at the site who has not left."""
    return Connector.objects.filter(site=site).exclude(status=Connector.Status.LEFT)


# ---- a connector's own space ----


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    connector = actions.connector_for(request.user)
    if connector is None:
        # Site leads, host coordinators and national admins manage hours at sites instead.
        if has_any_permission(request.user, Permission.CLAIM_APPROVE):
            return redirect("hours:sites")
        raise PermissionDenied
    entries = HoursEntry.objects.filter(connector__user=request.user)
    return render(
        request,
        "hours/mine.html",
        {
            "connector": connector,
            # No "Log your hours" for someone who may not (the forms would send them back).
            "refusal": _refusal(request.user, connector),
            "totals": actions.hours_totals(entries),
            "credits": actions.credit_setting(connector.site_id),
            "entries": entries.select_related("approved_by")[:RECENT],
            "claims": ExpenseClaim.objects.filter(connector__user=request.user),
            "payments": Payment.objects.filter(connector__user=request.user),
            "breadcrumbs": _home_crumbs(),
        },
    )


@login_required
def log_hours(request: HttpRequest) -> HttpResponse:
    connector = _own_connector(request)
    if refused := _refused(request, connector):
        return refused
    form = HoursForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.log_hours(connector=connector, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            earned = (
                f" You earned {entry.credits.normalize():f} time credits." if entry.credits else ""
            )
            messages.success(request, f"{entry} have been logged.{earned}")
            return redirect("hours:mine")
    return _form_page(
        request,
        form,
        title="Log your hours",
        intro="Record the time you spent volunteering on one day.",
        crumbs=_mine_crumbs(),
        submit_label="Log hours",
        cancel_url=reverse("hours:mine"),
    )


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    connector = _own_connector(request)
    if refused := _refused(request, connector):
        return refused
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = actions.create_claim(
                connector=connector, title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Your claim has been started. Add what you spent.")
            return redirect(claim)
    return _form_page(
        request,
        form,
        title="Start an expense claim",
        intro="Claim back money you spent as a connector, such as travel or refreshments. "
        "You will add each item and upload receipts next.",
        crumbs=_mine_crumbs(),
        submit_label="Start claim",
        cancel_url=reverse("hours:mine"),
    )


@login_required
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("connector", "site", "recorded_by"), pk=pk
    )
    if not actions.may_see_payment(request.user, payment):
        raise Http404
    own = actions.is_self(request.user, payment.connector)
    return render(
        request,
        "hours/payment_detail.html",
        {
            "payment": payment,
            "breadcrumbs": _mine_crumbs() if own else _site_crumbs(request, payment.site),
        },
    )


# ---- claims ----


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    return _render_claim(request, claim)


def _render_claim(request, claim, *, problems=()) -> HttpResponse:
    user = request.user
    manager = actions.may_manage(user, claim.site_id) and not actions.is_self(user, claim.connector)
    return render(
        request,
        "hours/claim_detail.html",
        {
            "claim": claim,
            "items": claim.items.all(),
            "receipts": claim.receipts.all(),
            "may_edit": claim.editable and actions.may_act_for(user, claim.connector),
            "may_decide": manager and claim.status == Status.SUBMITTED,
            "may_pay": manager and claim.status == Status.APPROVED,
            "prepared_by_you": manager and actions.prepared_for_connector(user, claim),
            # A rejection is final: the connector claims again with a new claim.
            "may_claim_again": claim.status == Status.REJECTED
            and actions.is_self(user, claim.connector)
            and claim.connector.is_active,
            "problems": problems,
            "breadcrumbs": _claim_crumbs(request, claim),
        },
    )


def _editable_claim(request, pk: int) -> ExpenseClaim:
    claim = _claim(request, pk)
    if not actions.may_act_for(request.user, claim.connector):
        raise PermissionDenied
    return claim


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _editable_claim(request, pk)
    if not claim.editable:
        messages.info(request, "This claim has been submitted: it can no longer be changed.")
        return redirect(claim)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_item(claim=claim, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{item} has been added to the claim.")
            return redirect(claim)
    return _form_page(
        request,
        form,
        title="Add an item to your claim"
        if actions.is_self(request.user, claim.connector)
        else f"Add an item to {claim.connector.name}'s claim",
        crumbs=[*_claim_crumbs(request, claim), (claim.title, claim.get_absolute_url())],
        submit_label="Add item",
        cancel_url=claim.get_absolute_url(),
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    claim = _editable_claim(request, pk)
    found = get_object_or_404(ExpenseItem, pk=item, claim=claim)
    try:
        actions.remove_item(item=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{found} has been removed from the claim.")
    return redirect(claim)


@login_required
def receipt_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _editable_claim(request, pk)
    if not claim.editable:
        messages.info(request, "This claim has been submitted: it can no longer be changed.")
        return redirect(claim)
    form = ReceiptForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            receipt = actions.add_receipt(
                claim=claim, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{receipt.name} has been uploaded.")
            return redirect(claim)
    return _form_page(
        request,
        form,
        title="Upload a receipt",
        crumbs=[*_claim_crumbs(request, claim), (claim.title, claim.get_absolute_url())],
        submit_label="Upload receipt",
        cancel_url=claim.get_absolute_url(),
    )


@login_required
def receipt_download(request: HttpRequest, pk: int, receipt: int) -> HttpResponse:
    claim = _claim(request, pk)
    found = get_object_or_404(Receipt, pk=receipt, claim=claim, removed_at__isnull=True)
    try:
        with found.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = HttpResponse(content, content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.name)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def receipt_remove(request: HttpRequest, pk: int, receipt: int) -> HttpResponse:
    claim = _editable_claim(request, pk)
    found = get_object_or_404(Receipt, pk=receipt, claim=claim)
    try:
        actions.remove_receipt(receipt=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{found.name} has been removed.")
    return redirect(claim)


# Where on the claim page each problem that stops a submission is put right (the error
# summary links there, as the NHS error summary links to the field to correct).
SUBMIT_PROBLEM_TARGETS = {actions.NO_ITEMS: "add-item", actions.NO_RECEIPT: "upload-receipt"}


def _submit_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """(message, id of the part of the claim page that puts it right, or "") for each."""
    return [
        (message, SUBMIT_PROBLEM_TARGETS.get(error.code, ""))
        for error in exc.error_list
        for message in error
    ]


@login_required
@require_POST
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _editable_claim(request, pk)
    try:
        actions.submit_claim(claim=claim, by=request.user)
    except actions.IllegalTransition as exc:
        messages.error(request, exc.messages[0])
        return redirect(claim)
    except ValidationError as exc:
        return _render_claim(request, claim, problems=_submit_problems(exc))
    messages.success(
        request, f"Your claim for £{claim.total:,.2f} has been sent to your coordinator."
    )
    return redirect(claim)


@login_required
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if not actions.may_manage(request.user, claim.site_id) or actions.is_self(
        request.user, claim.connector
    ):
        raise PermissionDenied
    if claim.status != Status.SUBMITTED:
        messages.info(request, f"This claim is {claim.get_status_display().lower()}.")
        return redirect(claim)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == APPROVE:
                actions.approve_claim(claim=claim, by=request.user)
                messages.success(request, f"The claim for £{claim.total:,.2f} has been approved.")
            else:
                actions.reject_claim(
                    claim=claim, reason=form.cleaned_data["reason"], by=request.user
                )
                messages.success(request, "The claim has been rejected.")
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect(claim)
    intro = (
        f"{claim.title}: £{claim.total:,.2f}. Check the items and receipts on the claim before "
        "you decide."
    )
    if actions.prepared_for_connector(request.user, claim):
        intro += " You prepared this claim, so someone else must approve it; you can reject it."
    return _form_page(
        request,
        form,
        title=f"Decide on {claim.connector.name}'s claim",
        intro=intro,
        crumbs=[*_site_crumbs(request, claim.site), (claim.title, claim.get_absolute_url())],
        submit_label="Save decision",
        cancel_url=claim.get_absolute_url(),
    )


@login_required
def claim_paid(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if not actions.may_manage(request.user, claim.site_id) or actions.is_self(
        request.user, claim.connector
    ):
        raise PermissionDenied
    if claim.status != Status.APPROVED:
        messages.info(request, f"This claim is {claim.get_status_display().lower()}.")
        return redirect(claim)
    form = PaidForm(
        request.POST if request.method == "POST" else None,
        initial={"paid_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.mark_claim_paid(
                claim=claim, paid_on=form.cleaned_data["paid_on"], by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"The claim for £{claim.total:,.2f} is marked as paid.")
            return redirect(claim)
    return _form_page(
        request,
        form,
        title="Mark the claim as paid",
        intro=f"{claim.connector.name}: {claim.title}, £{claim.total:,.2f}.",
        crumbs=[*_site_crumbs(request, claim.site), (claim.title, claim.get_absolute_url())],
        submit_label="Mark as paid",
        cancel_url=claim.get_absolute_url(),
    )


# ---- a site's hours and money, for its coordinators ----


@login_required
def sites(request: HttpRequest) -> HttpResponse:
    """The sites whose hours the user manages; straight to the site's own page for someone
    who manages only one (national roles, who manage every site, keep the list)."""
    where = sites_where(request.user, Permission.CLAIM_APPROVE)
    if where is not None and not where:
        raise PermissionDenied
    only = one_site_slug(request.user, where)
    if only is not None:
        return redirect("hours:site", slug=only)
    found = visible_sites(request.user).order_by("name")
    if where is not None:
        found = found.filter(pk__in=where)
    hours = (
        hours_to_approve(request.user, where)
        .filter(site=OuterRef("pk"))
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = found.annotate(
        waiting=Count("expense_claims", filter=Q(expense_claims__status=Status.SUBMITTED)),
        hours_waiting=Coalesce(Subquery(hours), 0),
    )
    return render(
        request,
        "hours/sites.html",
        {"sites": found, "breadcrumbs": _home_crumbs()},
    )


@login_required
def site(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    entries = HoursEntry.objects.filter(site=site)
    per_connector = (
        Connector.objects.filter(site=site)
        .annotate(
            total_hours=Sum("hours_entries__hours"),
            total_credits=Sum("hours_entries__credits"),
        )
        .filter(total_hours__isnull=False)
        .order_by("name", "pk")
    )
    claims = ExpenseClaim.objects.filter(site=site).select_related("connector")
    # Every entry the home page counts as waiting for this person here (the same query), not
    # only those among the latest hours: oldest first, a page at a time. A page that is not a
    # number gives the first page, a number out of range the last (as other paged lists do).
    to_approve = Paginator(
        hours_to_approve(request.user, {site.pk})
        .select_related("connector", "logged_by")
        .order_by("date", "pk"),
        TO_APPROVE_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "hours/site.html",
        {
            "site": site,
            "credits": actions.credit_setting(site),
            "totals": actions.hours_totals(entries),
            "per_connector": per_connector,
            "to_approve": to_approve,
            "entries": entries.select_related("connector", "approved_by", "logged_by")[:RECENT],
            "waiting": claims.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk"),
            "to_pay": claims.filter(status=Status.APPROVED).order_by("decided_at", "pk"),
            "recent_claims": claims.exclude(status__in=[Status.SUBMITTED, Status.APPROVED])[
                :RECENT
            ],
            "payments": Payment.objects.filter(site=site).select_related("connector")[:RECENT],
            "breadcrumbs": _sites_crumbs(request.user),
        },
    )


@login_required
def site_log_hours(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    connectors = _site_connectors(site)
    form = HoursForm(request.POST if request.method == "POST" else None, connectors=connectors)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            entry = actions.log_hours(by=request.user, **data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{entry} have been logged for {entry.connector.name}.")
            return redirect("hours:site", slug=site.slug)
    return _form_page(
        request,
        form,
        title="Log hours for a connector",
        crumbs=_site_crumbs(request, site),
        submit_label="Log hours",
        cancel_url=reverse("hours:site", args=[site.slug]),
    )


@login_required
def site_claim_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    connectors = _site_connectors(site)
    form = ClaimForm(request.POST if request.method == "POST" else None, connectors=connectors)
    if request.method == "POST" and form.is_valid():
        try:
            claim = actions.create_claim(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"A claim has been started for {claim.connector.name}. Add what they spent.",
            )
            return redirect(claim)
    return _form_page(
        request,
        form,
        title="Start an expense claim for a connector",
        intro="For a connector who gave you their receipts: you add each item and upload the "
        "receipts next, then submit the claim for them.",
        crumbs=_site_crumbs(request, site),
        submit_label="Start claim",
        cancel_url=reverse("hours:site", args=[site.slug]),
    )


@login_required
@require_POST
def hours_approve(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(HoursEntry.objects.select_related("connector", "site"), pk=pk)
    if not actions.may_manage(request.user, entry.site_id):
        if actions.is_self(request.user, entry.connector):
            raise PermissionDenied
        raise Http404
    try:
        actions.approve_hours(entry=entry, by=request.user)
    except PermissionDenied:
        messages.error(request, "You cannot approve your own hours.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{entry} for {entry.connector.name} approved.")
    return redirect(_to_approve_url(entry.site, request.POST.get("page", "")))


def _to_approve_url(site: Site, page: str) -> str:
    """The site's page, at the page of its hours to approve that ``page`` (sent by the
    Approve form, or carried by the Change link) names, if it is a page number after the
    first. The site's page shows the last page if there are fewer pages than that now."""
    url = reverse("hours:site", args=[site.slug])
    # At most 9 digits: int() refuses thousands (a tampered form), and no list is that long.
    if page.isascii() and page.isdigit() and len(page) <= 9 and int(page) > 1:
        url += "?" + urlencode({"page": int(page)})
    return url


def _changeable_entry(request, pk: int) -> HoursEntry:
    """Hours the person may correct: their own, or a connector's at a site they manage."""
    entry = get_object_or_404(HoursEntry.objects.select_related("connector", "site"), pk=pk)
    if not actions.may_act_for(request.user, entry.connector):
        raise Http404
    return entry


def _entry_list(request, entry: HoursEntry) -> str:
    """Where the entry is listed for this person: their own hours, or the site's, at the
    page of its hours to approve that the "Change" link came from (``?page=``)."""
    if actions.is_self(request.user, entry.connector):
        return reverse("hours:mine")
    return _to_approve_url(entry.site, request.GET.get("page", ""))


@login_required
def hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _changeable_entry(request, pk)
    back = _entry_list(request, entry)
    if entry.approved:
        messages.error(request, actions.APPROVED_HOURS)
        return redirect(back)
    initial = {"date": entry.date, "hours": entry.hours.normalize(), "activity": entry.activity}
    form = HoursForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.correct_hours(entry=entry, by=request.user, **form.cleaned_data)
        except actions.IllegalTransition as exc:
            messages.error(request, exc.messages[0])
            return redirect(back)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Saved: {entry} for {entry.connector.name}.")
            return redirect(back)
    mine = actions.is_self(request.user, entry.connector)
    return _form_page(
        request,
        form,
        template="hours/entry_edit.html",
        entry=entry,
        title="Change your hours" if mine else f"Change hours for {entry.connector.name}",
        intro=f"Logged as {entry} for {entry.activity}.",
        crumbs=_mine_crumbs() if mine else _site_crumbs(request, entry.site),
        submit_label="Save changes",
        cancel_url=back,
    )


@login_required
@require_POST
def hours_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _changeable_entry(request, pk)
    back = _entry_list(request, entry)
    try:
        actions.remove_hours(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Removed: {entry} for {entry.connector.name}.")
    return redirect(back)


@login_required
def credit_settings(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    current = actions.credit_setting(site)
    form = CreditSettingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "enabled": "yes" if current.enabled else "no",
            "hours_per_credit": current.hours_per_credit.normalize(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            setting = actions.set_time_credits(site=site, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Saved. {setting}.")
            return redirect("hours:site", slug=site.slug)
    return _form_page(
        request,
        form,
        title=f"Time credits at {site.name}",
        intro="Where a site uses time credits, connectors earn them for the volunteer hours "
        "they log. Changing this does not change credits already earned.",
        crumbs=_site_crumbs(request, site),
        submit_label="Save",
        cancel_url=reverse("hours:site", args=[site.slug]),
    )


@login_required
def payment_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    connectors = Connector.objects.filter(site=site).exclude(user=request.user)
    form = PaymentForm(request.POST if request.method == "POST" else None, connectors=connectors)
    if request.method == "POST" and form.is_valid():
        try:
            payment = actions.record_payment(
                connector=form.cleaned_data["connector"],
                data=form.action_data(),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{payment} to {payment.connector.name} has been recorded.")
            return redirect("hours:site", slug=site.slug)
    return _form_page(
        request,
        form,
        title="Record a payment",
        intro="For connectors in paid or sessional roles.",
        crumbs=_site_crumbs(request, site),
        submit_label="Record payment",
        cancel_url=reverse("hours:site", args=[site.slug]),
    )


@login_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """A GET form; with its fields filled in, the file itself (and an EXPORT audit event)."""
    site = _managed_site(request, slug)
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        claim_rows, payment_rows = finance.export_rows(site, data["start"], data["end"])
        actions.record_export(
            site=site,
            start=data["start"],
            end=data["end"],
            fmt=data["format"],
            claims=len(claim_rows),
            payments=len(payment_rows),
            by=request.user,
        )
        name = f"{site.slug}-finance-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.{data['format']}"
        if data["format"] == "csv":
            body, content_type = finance.to_csv(claim_rows, payment_rows), "text/csv; charset=utf-8"
        else:
            body = finance.to_xlsx(claim_rows, payment_rows)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "hours/export.html",
        {"site": site, "form": form, "breadcrumbs": _site_crumbs(request, site)},
    )
