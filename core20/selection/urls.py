"""The selection pages, mounted at /selection/."""

from django.urls import path

from core20.selection.views import applications, calls, decisions, files, panel

app_name = "selection"

urlpatterns = [
    # Public: calls and their prior information packs.
    path("", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/prior-information-pack/", files.call_pack, name="call-pack"),
    # Applicants.
    path("account/new/", applications.account_create, name="account-create"),
    path("calls/<int:pk>/apply/", applications.call_apply, name="call-apply"),
    path("applications/", applications.my_applications, name="my-applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application-edit"),
    path("applications/<int:pk>/files/", applications.application_files, name="application-files"),
    path(
        "applications/<int:pk>/files/<int:file_pk>/",
        files.attachment_download,
        name="attachment-download",
    ),
    path(
        "applications/<int:pk>/files/<int:file_pk>/remove/",
        applications.attachment_delete,
        name="attachment-delete",
    ),
    # National admins: setting up a call.
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/manage/", calls.call_manage, name="call-manage"),
    path("calls/<int:pk>/open/", calls.call_open, name="call-open"),
    path("calls/<int:pk>/questions/new/", calls.question_create, name="question-create"),
    path(
        "calls/<int:pk>/questions/<int:question_pk>/edit/",
        calls.question_edit,
        name="question-edit",
    ),
    path(
        "calls/<int:pk>/questions/<int:question_pk>/delete/",
        calls.question_delete,
        name="question-delete",
    ),
    path("calls/<int:pk>/criteria/new/", calls.criterion_create, name="criterion-create"),
    path(
        "calls/<int:pk>/criteria/<int:criterion_pk>/edit/",
        calls.criterion_edit,
        name="criterion-edit",
    ),
    path(
        "calls/<int:pk>/criteria/<int:criterion_pk>/delete/",
        calls.criterion_delete,
        name="criterion-delete",
    ),
    # National admins: the panel, moderation and decisions.
    path("calls/<int:pk>/panel/", panel.panel_manage, name="panel-manage"),
    path("calls/<int:pk>/panel/appoint/", panel.panel_appoint, name="panel-appoint"),
    path(
        "calls/<int:pk>/panel/<int:appointment_pk>/remove/",
        panel.panel_remove,
        name="panel-remove",
    ),
    path("calls/<int:pk>/moderation/", decisions.moderation, name="moderation"),
    path("reviews/<int:pk>/decision/", decisions.decision, name="decision"),
    # Panel members.
    path("panel/", panel.panel_home, name="panel-home"),
    path("panel/calls/<int:pk>/", panel.panel_call, name="panel-call"),
    path("reviews/<int:pk>/", panel.review, name="review"),
    path("reviews/<int:pk>/score/", panel.review_score, name="review-score"),
]
