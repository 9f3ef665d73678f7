"""Quarterly returns: a site's returns, starting one, answering it, submitting it, the
national team's review, comments, due dates, and the full history of every return.

Who sees what: a site's returns are seen by its own team and national staff
(SITE_VIEW_INTERNAL); the site's lead (RETURN_SUBMIT) writes and submits them; national
admins (RETURN_REVIEW) accept or return them, and both comment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.oversight import actions, periods, prefill
from core20.oversight.answers import display
from core20.oversight.forms import (
    AnswersForm,
    CommentForm,
    DueDateForm,
    ReturnListFilterForm,
    ReturnStartForm,
    ReviewForm,
)
from core20.oversight.models import QuarterlyReturn, ReturnTemplate, ReturnVersion
from core20.oversight.views.common import (
    add_action_errors,
    may_see_site_internals,
    oversight_crumbs,
    own_site_returns,
    site_crumbs,
    site_for,
)
from core20.programme.queries import visible_sites

PAGE_SIZE = 50


def _returns_url(site) -> str:
    return reverse("oversight:site-returns", args=[site.slug])


def _get_return(request, pk: int) -> QuarterlyReturn:
    qreturn = get_object_or_404(
        QuarterlyReturn.objects.select_related("site__wave", "template", "created_by"),
        pk=pk,
        site__in=visible_sites(request.user),
    )
    if not may_see_site_internals(request.user, qreturn.site):
        raise PermissionDenied
    return qreturn


def _crumbs(request, qreturn, *more):
    return site_crumbs(
        request.user,
        qreturn.site,
        ("Quarterly returns", _returns_url(qreturn.site)),
        *more,
    )


# ---- lists ----


@login_required
def return_list(request: HttpRequest) -> HttpResponse:
    """Every site's returns, for national staff (submitted ones first: they await review)."""
    if not has_permission(request.user, Permission.OVERSIGHT_VIEW):
        return own_site_returns(request.user)
    form = ReturnListFilterForm(request.GET or None)
    returns = QuarterlyReturn.objects.select_related("site__wave").order_by(
        "-financial_year", "-quarter", "site__name"
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("status"):
            returns = returns.filter(status=form.cleaned_data["status"])
        if form.cleaned_data.get("wave"):
            returns = returns.filter(site__wave=form.cleaned_data["wave"])
    awaiting = QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.SUBMITTED).count()
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oversight/return_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "awaiting": awaiting,
            "today": periods.today(),
            "breadcrumbs": oversight_crumbs(request.user),
        },
    )


@login_required
def site_returns(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_for(request, slug)
    returns = site.quarterly_returns.order_by("-financial_year", "-quarter")
    template = ReturnTemplate.objects.filter(wave_id=site.wave_id).first()
    return render(
        request,
        "oversight/site_returns.html",
        {
            "site": site,
            "returns": returns,
            "template": template,
            "can_start": template is not None and actions.may_submit(request.user, site),
            "today": periods.today(),
            "breadcrumbs": site_crumbs(request.user, site),
        },
    )


# ---- starting and answering ----


@login_required
def return_start(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_for(request, slug, Permission.RETURN_SUBMIT)
    template = ReturnTemplate.objects.filter(wave_id=site.wave_id).first()
    year, quarter = periods.quarter_of(periods.today())
    form = ReturnStartForm(
        request.POST if request.method == "POST" else None,
        initial={"financial_year": year, "quarter": quarter},
    )
    if request.method == "POST" and template is not None and form.is_valid():
        try:
            qreturn = actions.start_return(
                site=site,
                financial_year=form.cleaned_data["financial_year"],
                quarter=form.cleaned_data["quarter"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"Your return for {qreturn.period_label} has been started. Figures Core20 "
                "Connect already holds have been filled in: check them.",
            )
            return redirect("oversight:return-edit", pk=qreturn.pk)
    return render(
        request,
        "oversight/return_start.html",
        {
            "site": site,
            "form": form,
            "template": template,
            "breadcrumbs": site_crumbs(
                request.user, site, ("Quarterly returns", _returns_url(site))
            ),
        },
    )


@login_required
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    qreturn = _get_return(request, pk)
    require_permission(request.user, Permission.RETURN_SUBMIT, site=qreturn.site)
    if not qreturn.is_editable:
        messages.info(
            request,
            f"This return is {qreturn.get_status_display().lower()}, so its answers cannot be "
            "changed.",
        )
        return redirect(qreturn)
    questions = actions.questions_of(qreturn.template)
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        qreturn=qreturn,
    )
    if request.method == "POST" and form.is_valid():
        try:
            before = qreturn.answers
            qreturn = actions.save_answers(qreturn=qreturn, answers=form.answers(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if qreturn.answers != before:
                messages.success(request, "Your answers have been saved.")
            else:
                messages.info(request, "You did not change anything.")
            return redirect(qreturn)
    return render(
        request,
        "oversight/return_edit.html",
        {
            "qreturn": qreturn,
            "form": form,
            "long_period": periods.quarter_long_label(qreturn.financial_year, qreturn.quarter),
            "breadcrumbs": _crumbs(
                request, qreturn, (qreturn.period_label, qreturn.get_absolute_url())
            ),
        },
    )


# ---- the return and its history ----


def _answer_rows(questions, answers: dict, prefilled: dict | None = None):
    """[(section title, [(question, answer text, prefilled text)])] for reading."""
    sections = []
    for question in questions:
        title, kind, key = question.section.title, question.kind, question.key
        if not sections or sections[-1][0] != title:
            sections.append((title, []))
        prefilled_text = ""
        if prefilled is not None and key in prefilled:
            value = prefilled[key]
            prefilled_text = display(kind, value) if value is not None else prefill.NOT_RECORDED
        sections[-1][1].append(
            {
                "key": key,
                "text": question.text,
                "answer": display(kind, answers.get(key)),
                "narrative": kind == "narrative",
                "prefilled": prefilled_text,
            }
        )
    return sections


def _history(qreturn: QuarterlyReturn) -> list[dict]:
    """Versions, transitions and comments in the order they happened."""
    events = []
    for version in qreturn.versions.order_by("number"):
        events.append(
            {
                "at": version.created_at,
                "kind": "version",
                "version": version,
                "by": version.created_by_label,
            }
        )
    for transition in qreturn.transitions.select_related("version").order_by("created_at", "pk"):
        if not transition.from_status:
            continue  # starting the draft: version 1 says so
        events.append(
            {
                "at": transition.created_at,
                "kind": "transition",
                "transition": transition,
                "by": transition.created_by_label,
                "comments": [],
            }
        )
    attached = {e["transition"].pk: e for e in events if e["kind"] == "transition"}
    for comment in qreturn.comments.order_by("created_at", "pk"):
        if comment.transition_id in attached:
            attached[comment.transition_id]["comments"].append(comment)
        else:
            events.append(
                {
                    "at": comment.created_at,
                    "kind": "comment",
                    "comment": comment,
                    "by": comment.created_by_label,
                }
            )
    order = {"version": 0, "transition": 1, "comment": 2}
    return sorted(events, key=lambda e: (e["at"], order[e["kind"]]))


def _render_detail(
    request, qreturn, *, comment_form=None, submit_errors=None, confirm_error="", status=200
):
    questions = actions.questions_of(qreturn.template)
    can_submit = actions.may_submit(request.user, qreturn.site)
    national = actions.may_review(request.user)
    missing = actions.missing_required(qreturn, questions) if qreturn.is_editable else {}
    unanswered = actions.unanswered(qreturn, questions) if qreturn.is_editable else []
    opens = periods.submittable_from(qreturn.financial_year, qreturn.quarter)
    # Why the return was not submitted, each linked to where it is put right.
    edit = reverse("oversight:return-edit", args=[qreturn.pk])
    submit_problems = [(f"{edit}#id_{key}", message) for key, message in submit_errors or []]
    if confirm_error:
        submit_problems.append(("#confirm_unanswered", confirm_error))
    return render(
        request,
        "oversight/return_detail.html",
        {
            "qreturn": qreturn,
            "sections": _answer_rows(questions, qreturn.answers, qreturn.prefilled),
            "history": _history(qreturn),
            "today": periods.today(),
            "overdue": qreturn.is_overdue(periods.today()),
            "long_period": periods.quarter_long_label(qreturn.financial_year, qreturn.quarter),
            "can_edit": can_submit and qreturn.is_editable,
            "can_submit": can_submit and qreturn.is_editable,
            "missing": missing,
            "unanswered": unanswered,
            "submit_open": periods.today() >= opens,
            "submit_opens_on": opens,
            "months": periods.months_label(qreturn.financial_year, qreturn.quarter),
            "confirm_error": confirm_error,
            "submit_problems": submit_problems,
            "can_review": national and qreturn.status == QuarterlyReturn.Status.SUBMITTED,
            "can_set_due_date": national,
            "can_comment": can_submit or national,
            "comment_form": comment_form or CommentForm(),
            "breadcrumbs": _crumbs(request, qreturn),
        },
        status=status,
    )


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_return(request, pk))


@login_required
def return_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    qreturn = _get_return(request, pk)
    version = get_object_or_404(ReturnVersion, qreturn=qreturn, number=number)
    previous = (
        ReturnVersion.objects.filter(qreturn=qreturn, number__lt=number).order_by("-number").first()
    )
    changed = (
        {k for k in version.answers if version.answers.get(k) != previous.answers.get(k)}
        if previous
        else set()
    )
    sections = _answer_rows(
        [_Snapshot(q) for q in version.questions], version.answers, prefilled=None
    )
    for _, rows in sections:
        for row in rows:
            row["changed"] = row["key"] in changed
    return render(
        request,
        "oversight/return_version.html",
        {
            "qreturn": qreturn,
            "version": version,
            "previous": previous,
            "sections": sections,
            "changed_count": len(changed),
            "breadcrumbs": _crumbs(
                request, qreturn, (qreturn.period_label, qreturn.get_absolute_url())
            ),
        },
    )


class _Snapshot:
    """A question as it was worded when a version was saved."""

    def __init__(self, data: dict):
        self.key = data["key"]
        self.text = data["text"]
        self.kind = data["kind"]
        self.section = type("Section", (), {"title": data.get("section", "")})()


# ---- workflow ----


def _needs_confirmation(request, qreturn: QuarterlyReturn) -> bool:
    """Whether the site must still confirm submitting with questions unanswered: asked only
    of a return that could otherwise be submitted. The confirmation names the number of
    unanswered questions, so a change to the answers since the page was shown asks again."""
    questions = actions.questions_of(qreturn.template)
    left = actions.unanswered(qreturn, questions)
    if not left or request.POST.get("confirm_unanswered") == str(len(left)):
        return False
    opens = periods.submittable_from(qreturn.financial_year, qreturn.quarter)
    return (
        qreturn.is_editable
        and periods.today() >= opens
        and not actions.missing_required(qreturn, questions)
    )


@login_required
@require_POST
def return_submit(request: HttpRequest, pk: int) -> HttpResponse:
    qreturn = _get_return(request, pk)
    require_permission(request.user, Permission.RETURN_SUBMIT, site=qreturn.site)
    if _needs_confirmation(request, qreturn):
        left = len(actions.unanswered(qreturn))
        return _render_detail(
            request,
            qreturn,
            confirm_error=f"Confirm that you want to submit the return with {left} "
            f"question{pluralize(left)} unanswered, or answer them first",
        )
    try:
        qreturn = actions.submit_return(qreturn=qreturn, by=request.user)
    except actions.IllegalTransition as exc:
        messages.error(request, exc.messages[0])
        return redirect(qreturn)
    except ValidationError as exc:
        errors = [(key, m) for key, found in exc.message_dict.items() for m in found]
        return _render_detail(request, qreturn, submit_errors=errors)
    messages.success(
        request,
        f"Your return for {qreturn.period_label} has been submitted to the national team.",
    )
    return redirect(qreturn)


@login_required
def return_review(request: HttpRequest, pk: int) -> HttpResponse:
    qreturn = _get_return(request, pk)
    require_permission(request.user, Permission.RETURN_REVIEW)
    if qreturn.status != QuarterlyReturn.Status.SUBMITTED:
        messages.info(
            request,
            f"This return is {qreturn.get_status_display().lower()}: only a submitted return "
            "can be reviewed.",
        )
        return redirect(qreturn)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            qreturn = actions.review_return(
                qreturn=qreturn,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except actions.IllegalTransition as exc:
            messages.error(request, exc.messages[0])
            return redirect(qreturn)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if qreturn.status == QuarterlyReturn.Status.ACCEPTED:
                messages.success(request, f"The return for {qreturn.period_label} is accepted.")
            else:
                messages.success(
                    request,
                    f"The return for {qreturn.period_label} has been returned to "
                    f"{qreturn.site.name} with your comments.",
                )
            return redirect(qreturn)
    questions = actions.questions_of(qreturn.template)
    return render(
        request,
        "oversight/return_review.html",
        {
            "qreturn": qreturn,
            "form": form,
            "sections": _answer_rows(questions, qreturn.answers, qreturn.prefilled),
            "breadcrumbs": _crumbs(
                request, qreturn, (qreturn.period_label, qreturn.get_absolute_url())
            ),
        },
    )


@login_required
@require_POST
def return_comment(request: HttpRequest, pk: int) -> HttpResponse:
    qreturn = _get_return(request, pk)
    if not (actions.may_review(request.user) or actions.may_submit(request.user, qreturn.site)):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(qreturn=qreturn, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Your comment has been added.")
            return redirect(f"{qreturn.get_absolute_url()}#history")
    return _render_detail(request, qreturn, comment_form=form)


@login_required
def return_due_date(request: HttpRequest, pk: int) -> HttpResponse:
    qreturn = _get_return(request, pk)
    require_permission(request.user, Permission.RETURN_REVIEW)
    form = DueDateForm(
        request.POST if request.method == "POST" else None, initial={"due_on": qreturn.due_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_due_date(
                qreturn=qreturn, due_on=form.cleaned_data["due_on"], by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The due date has been saved.")
            return redirect(qreturn)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Change when the {qreturn.period_label} return is due",
            "intro": f"{qreturn.site.name}. Returns are usually due by the end of the month "
            "after the quarter ends.",
            "submit_label": "Save due date",
            "cancel_url": qreturn.get_absolute_url(),
            "breadcrumbs": _crumbs(
                request, qreturn, (qreturn.period_label, qreturn.get_absolute_url())
            ),
        },
    )
