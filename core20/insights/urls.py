"""Insights, routing to decision-makers, responses, actions, feedback and "you said, we did",
mounted at /insights/."""

from django.urls import path

from core20.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.insight_list, name="insight-list"),
    path("figures/", views.national_figures, name="figures"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("<int:pk>/", views.insight_detail, name="insight-detail"),
    path("<int:pk>/quotes/new/", views.quote_add, name="quote-add"),
    path("<int:pk>/themes/", views.insight_themes, name="insight-themes"),
    path("<int:pk>/route/", views.insight_route, name="insight-route"),
    path("<int:pk>/keep/", views.insight_keep, name="insight-keep"),
    path("<int:pk>/reopen/", views.insight_reopen, name="insight-reopen"),
    path("<int:pk>/feedback/new/", views.feedback_create, name="feedback-create"),
    path("<int:pk>/publish/", views.insight_publish, name="insight-publish"),
    path("routings/<int:pk>/", views.routing_detail, name="routing-detail"),
    path("routings/<int:pk>/respond/", views.routing_respond, name="routing-respond"),
    path("routings/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("decision-makers/<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    # a site's pages
    path("sites/<slug:slug>/new/", views.insight_create, name="insight-create"),
    path("sites/<slug:slug>/decision-makers/", views.bridge, name="bridge"),
    path("sites/<slug:slug>/decision-makers/new/", views.body_create, name="body-create"),
    path("sites/<slug:slug>/themes/", views.themes, name="themes"),
    path("sites/<slug:slug>/response-times/", views.site_settings, name="settings"),
    path("sites/<slug:slug>/figures/", views.site_figures, name="site-figures"),
    path("sites/<slug:slug>/co-design/", views.sessions, name="sessions"),
    path("sites/<slug:slug>/co-design/new/", views.session_create, name="session-create"),
    path("sites/<slug:slug>/you-said-we-did/", views.public_page, name="public"),
]
