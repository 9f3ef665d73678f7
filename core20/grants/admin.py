"""Micro-grants in the Django admin, for technical staff (is_staff): view-only, and without
applicants' contact details or status tokens. Every change goes through the service's pages,
which validate and audit it (core20.grants.actions)."""

from django.contrib import admin

from core20.grants.models import Application, Fund, Payment


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fund)
class FundAdmin(ViewOnlyAdmin):
    list_display = ("name", "site", "budget", "max_award", "opens_on", "closes_on")
    list_filter = ("site",)


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    list_display = ("pk", "fund", "recipient_type", "status", "amount_requested", "amount_awarded")
    list_filter = ("status", "recipient_type")
    fields = (
        "fund",
        "status",
        "recipient_type",
        "title",
        "amount_requested",
        "amount_awarded",
        "decided_on",
        "submitted_at",
    )


@admin.register(Payment)
class PaymentAdmin(ViewOnlyAdmin):
    list_display = ("application", "amount", "paid_on", "reference")
