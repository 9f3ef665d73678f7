"""Selection in the Django admin, for technical staff (is_staff): view only. Calls,
applications, panels and decisions are changed in the service's own pages, which check
who may do what and audit every change (core20.selection.actions)."""

from django.contrib import admin

from core20.selection.models import (
    Application,
    Call,
    ConflictDeclaration,
    PanelAppointment,
    Review,
)


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(ViewOnlyAdmin):
    list_display = ["title", "wave", "status", "opens_on", "closes_on"]
    list_filter = ["wave"]
    exclude = ["pack"]


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "call", "applicant", "status", "submitted_at"]
    list_filter = ["status", "call"]
    list_select_related = ["call", "applicant"]


@admin.register(PanelAppointment)
class PanelAppointmentAdmin(ViewOnlyAdmin):
    list_display = ["user", "call", "member_type"]
    list_select_related = ["user", "call"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ViewOnlyAdmin):
    list_display = ["appointment", "application", "has_conflict", "declared_at"]


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    list_display = ["appointment", "application", "submitted_at"]
