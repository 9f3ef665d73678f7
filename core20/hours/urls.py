"""Connectors' volunteer hours, time credits, expense claims and payments, mounted at /hours/."""

from django.urls import path

from core20.hours import views

app_name = "hours"

urlpatterns = [
    # a connector's own space
    path("", views.mine, name="mine"),
    path("log/", views.log_hours, name="log-hours"),
    path("claims/new/", views.claim_create, name="claim-create"),
    # claims (the claimant, or the site's coordinators)
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/items/new/", views.item_add, name="item-add"),
    path("claims/<int:pk>/items/<int:item>/remove/", views.item_remove, name="item-remove"),
    path("claims/<int:pk>/receipts/new/", views.receipt_add, name="receipt-add"),
    path("claims/<int:pk>/receipts/<int:receipt>/", views.receipt_download, name="receipt"),
    path(
        "claims/<int:pk>/receipts/<int:receipt>/remove/",
        views.receipt_remove,
        name="receipt-remove",
    ),
    path("claims/<int:pk>/submit/", views.claim_submit, name="claim-submit"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim-decide"),
    path("claims/<int:pk>/paid/", views.claim_paid, name="claim-paid"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
    # a site's hours and money, for its coordinators
    path("sites/", views.sites, name="sites"),
    path("sites/<slug:slug>/", views.site, name="site"),
    path("sites/<slug:slug>/hours/new/", views.site_log_hours, name="site-log-hours"),
    path("sites/<slug:slug>/claims/new/", views.site_claim_create, name="site-claim-create"),
    path("sites/<slug:slug>/time-credits/", views.credit_settings, name="credit-settings"),
    path("sites/<slug:slug>/payments/new/", views.payment_create, name="payment-create"),
    path("sites/<slug:slug>/export/", views.export, name="export"),
    path("hours/<int:pk>/approve/", views.hours_approve, name="hours-approve"),
    # correcting hours not yet approved (the connector, or their coordinators)
    path("hours/<int:pk>/edit/", views.hours_edit, name="hours-edit"),
    path("hours/<int:pk>/remove/", views.hours_remove, name="hours-remove"),
]
