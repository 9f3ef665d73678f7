"""The knowledge hub and the stakeholder mailing list, mounted at /knowledge/."""

from django.urls import path

from core20.knowledge.views import mailing_list, mailings, resources

app_name = "knowledge"

urlpatterns = [
    path("", resources.resource_list, name="resource-list"),
    path("resources/new/", resources.resource_create, name="resource-create"),
    path("resources/<slug:slug>/", resources.resource_detail, name="resource-detail"),
    path("resources/<slug:slug>/edit/", resources.resource_edit, name="resource-edit"),
    path("resources/<slug:slug>/file/", resources.resource_file, name="resource-file"),
    path(
        "resources/<slug:slug>/calendar/",
        resources.resource_calendar,
        name="resource-calendar",
    ),
    # the public mailing-list pages
    path("mailing-list/", mailing_list.signup, name="mailing-list-signup"),
    path(
        "mailing-list/check-your-email/",
        mailing_list.check_email,
        name="mailing-list-check-email",
    ),
    path("mailing-list/confirm/<str:token>/", mailing_list.confirm, name="mailing-list-confirm"),
    path(
        "mailing-list/unsubscribe/<str:token>/",
        mailing_list.unsubscribe,
        name="mailing-list-unsubscribe",
    ),
    # notices (national admins)
    path("notices/", mailings.mailing_list, name="mailing-list"),
    path("notices/new/", mailings.mailing_create, name="mailing-create"),
    path("notices/<int:pk>/", mailings.mailing_detail, name="mailing-detail"),
    path("notices/<int:pk>/edit/", mailings.mailing_edit, name="mailing-edit"),
    path("notices/<int:pk>/send/", mailings.mailing_send, name="mailing-send"),
]
