"""Funding and quarterly returns in the Django admin, for technical staff (is_staff):
view-only. Every change goes through the service's pages, which validate it, keep the
return's history and audit it (core20.oversight.actions)."""

from django.contrib import admin

from core20.oversight.models import (
    FundingAllocation,
    QuarterlyReturn,
    ReturnQuestion,
    ReturnTemplate,
    SpendReport,
)


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundingAllocation)
class FundingAllocationAdmin(ViewOnlyAdmin):
    list_display = ("site", "financial_year", "amount", "purpose", "updated_at")
    list_filter = ("financial_year",)
    list_select_related = ("site",)


@admin.register(SpendReport)
class SpendReportAdmin(ViewOnlyAdmin):
    list_display = ("site", "financial_year", "quarter", "amount", "updated_at")
    list_filter = ("financial_year", "quarter")
    list_select_related = ("site",)


@admin.register(ReturnTemplate)
class ReturnTemplateAdmin(ViewOnlyAdmin):
    list_display = ("wave", "created_at")
    list_select_related = ("wave",)


@admin.register(ReturnQuestion)
class ReturnQuestionAdmin(ViewOnlyAdmin):
    list_display = ("key", "text", "kind", "prefill", "required", "active", "template")
    list_filter = ("kind", "active")
    list_select_related = ("template__wave",)


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(ViewOnlyAdmin):
    list_display = ("site", "financial_year", "quarter", "status", "due_on", "updated_at")
    list_filter = ("status", "financial_year", "quarter")
    list_select_related = ("site",)
