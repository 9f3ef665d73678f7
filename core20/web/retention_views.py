"""What the personal-data retention rules will erase next, for the national team (who see
the whole audit log): each rule, its period and how many records are due now. Erasure itself
runs daily (manage.py run_daily_jobs); this page only looks."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.web.retention import REASON, rules


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    # The national team only: with no site named, only national roles count.
    require_permission(request.user, Permission.AUDIT_VIEW)
    now = timezone.now()
    rows = [{"rule": rule, "due": rule.due(now, rule.months).count()} for rule in rules()]
    erased = AuditEvent.objects.filter(
        verb=AuditEvent.Verb.DELETE, actor_id__isnull=True, summary__contains=REASON
    )
    return render(
        request,
        "web/retention.html",
        {
            "rows": rows,
            "last": erased.order_by("-created_at").values_list("created_at", flat=True).first(),
            "deletions_url": reverse("audit:log") + f"?verb={AuditEvent.Verb.DELETE}",
            "breadcrumbs": [("Home", reverse("web:home")), ("Audit log", reverse("audit:log"))],
        },
    )
