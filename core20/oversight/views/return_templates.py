"""Quarterly return templates: one per wave, made from the standard return and then changed
by the national team (sections and questions). National staff may read them; national
admins (RETURN_REVIEW) change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.oversight import actions, prefill
from core20.oversight.forms import QuestionForm, SectionForm
from core20.oversight.models import ReturnQuestion, ReturnSection, ReturnTemplate
from core20.oversight.views.common import add_action_errors, oversight_crumbs
from core20.programme.models import Wave


def _may_read(user) -> bool:
    return has_permission(user, Permission.OVERSIGHT_VIEW) or has_permission(
        user, Permission.RETURN_REVIEW
    )


def _list_url() -> str:
    return reverse("oversight:template-list")


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    if not _may_read(request.user):
        raise PermissionDenied
    waves = Wave.objects.select_related("return_template").order_by("number")
    return render(
        request,
        "oversight/template_list.html",
        {
            "waves": waves,
            "can_manage": has_permission(request.user, Permission.RETURN_REVIEW),
            "breadcrumbs": oversight_crumbs(request.user),
        },
    )


@login_required
def template_detail(request: HttpRequest, wave: int) -> HttpResponse:
    if not _may_read(request.user):
        raise PermissionDenied
    wave = get_object_or_404(Wave, pk=wave)
    template = (
        ReturnTemplate.objects.filter(wave=wave)
        .prefetch_related(
            Prefetch(
                "sections",
                ReturnSection.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("questions", ReturnQuestion.objects.order_by("position", "pk"))
                ),
            )
        )
        .first()
    )
    return render(
        request,
        "oversight/template_detail.html",
        {
            "wave": wave,
            "template": template,
            "figures": prefill.FIGURES,
            "can_manage": has_permission(request.user, Permission.RETURN_REVIEW),
            "breadcrumbs": oversight_crumbs(request.user, ("Return templates", _list_url())),
        },
    )


@login_required
@require_POST
def template_create(request: HttpRequest, wave: int) -> HttpResponse:
    require_permission(request.user, Permission.RETURN_REVIEW)
    wave = get_object_or_404(Wave, pk=wave)
    try:
        actions.create_template(wave=wave, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, f"{wave.name} now has a quarterly return, copied from the standard return."
        )
    return redirect("oversight:template-detail", wave=wave.pk)


def _template(request, wave: int) -> ReturnTemplate:
    require_permission(request.user, Permission.RETURN_REVIEW)
    return get_object_or_404(ReturnTemplate.objects.select_related("wave"), wave_id=wave)


def _crumbs(request, template):
    return oversight_crumbs(
        request.user,
        ("Return templates", _list_url()),
        (template.wave.name, template.get_absolute_url()),
    )


@login_required
def section_create(request: HttpRequest, wave: int) -> HttpResponse:
    template = _template(request, wave)
    form = SectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_section(template=template, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"The section “{form.cleaned_data['title']}” was added.")
            return redirect(template)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Add a section to the {template.wave.name} return",
            "submit_label": "Add section",
            "cancel_url": template.get_absolute_url(),
            "breadcrumbs": _crumbs(request, template),
        },
    )


@login_required
def question_create(request: HttpRequest, wave: int) -> HttpResponse:
    template = _template(request, wave)
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        template=template,
        initial={"active": True, "section": request.GET.get("section")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = actions.add_question(
                template=template, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"The question “{question.text}” was added.")
            return redirect(template)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Add a question to the {template.wave.name} return",
            "intro": "Returns already started keep the questions they were started with until "
            "the site next saves them.",
            "submit_label": "Add question",
            "cancel_url": template.get_absolute_url(),
            "breadcrumbs": _crumbs(request, template),
        },
    )


@login_required
def question_edit(request: HttpRequest, wave: int, pk: int) -> HttpResponse:
    template = _template(request, wave)
    question = get_object_or_404(ReturnQuestion, pk=pk, template=template)
    form = QuestionForm(
        request.POST if request.method == "POST" else None, template=template, instance=question
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_question(question=question, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if form.has_changed():
                messages.success(request, "Your changes to the question have been saved.")
            else:
                messages.info(request, "You did not change anything.")
            return redirect(template)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Change a question",
            "intro": f"Key: {question.key}. Earlier versions of returns keep the question as "
            "it was worded when they were saved.",
            "submit_label": "Save changes",
            "cancel_url": template.get_absolute_url(),
            "breadcrumbs": _crumbs(request, template),
        },
    )
