"""Funding, quarterly returns and national oversight, mounted at /oversight/."""

from django.urls import path

from core20.oversight.views import dashboard, funding, return_templates, returns

app_name = "oversight"

urlpatterns = [
    path("", dashboard.overview, name="dashboard"),
    # funding
    path("funding/", funding.funding_summary, name="funding-summary"),
    path("funding/summary.csv", funding.funding_summary_csv, name="funding-summary-csv"),
    path("sites/<slug:slug>/funding/", funding.site_funding, name="site-funding"),
    path(
        "sites/<slug:slug>/funding/allocations/new/",
        funding.allocation_create,
        name="allocation-create",
    ),
    path(
        "sites/<slug:slug>/funding/allocations/<int:pk>/edit/",
        funding.allocation_edit,
        name="allocation-edit",
    ),
    path(
        "sites/<slug:slug>/funding/allocations/<int:pk>/remove/",
        funding.allocation_delete,
        name="allocation-delete",
    ),
    path("sites/<slug:slug>/funding/spend/", funding.spend_report, name="spend-report"),
    # quarterly returns
    path("returns/", returns.return_list, name="return-list"),
    path("sites/<slug:slug>/returns/", returns.site_returns, name="site-returns"),
    path("sites/<slug:slug>/returns/new/", returns.return_start, name="return-start"),
    path("returns/<int:pk>/", returns.return_detail, name="return-detail"),
    path("returns/<int:pk>/edit/", returns.return_edit, name="return-edit"),
    path("returns/<int:pk>/submit/", returns.return_submit, name="return-submit"),
    path("returns/<int:pk>/review/", returns.return_review, name="return-review"),
    path("returns/<int:pk>/comments/", returns.return_comment, name="return-comment"),
    path("returns/<int:pk>/due-date/", returns.return_due_date, name="return-due-date"),
    path(
        "returns/<int:pk>/versions/<int:number>/",
        returns.return_version,
        name="return-version",
    ),
    # return templates
    path("templates/", return_templates.template_list, name="template-list"),
    path("templates/<int:wave>/", return_templates.template_detail, name="template-detail"),
    path("templates/<int:wave>/create/", return_templates.template_create, name="template-create"),
    path(
        "templates/<int:wave>/sections/new/",
        return_templates.section_create,
        name="section-create",
    ),
    path(
        "templates/<int:wave>/questions/new/",
        return_templates.question_create,
        name="question-create",
    ),
    path(
        "templates/<int:wave>/questions/<int:pk>/edit/",
        return_templates.question_edit,
        name="question-edit",
    ),
]
