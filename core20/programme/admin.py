"""The programme in the Django admin, for technical staff (is_staff).

Read-mostly: waves, sites and organisations are created and edited in the service's own
pages, which validate and audit every change (core20.programme.actions), so here they are
view-only. Programmes, clinical areas and PLUS groups have no page of their own yet: they
can be changed here, and each change is recorded in the audit log in the same transaction
(the admin's change form runs inside one).
"""

from django.contrib import admin
from django.db import transaction

from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.programme.models import (
    ClinicalArea,
    Organisation,
    PlusGroup,
    Programme,
    Site,
    SiteOrganisation,
    Wave,
)


class ViewOnlyAdmin(admin.ModelAdmin):
    """Change these in the service's pages, which audit every change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Records each save and deletion in the audit log."""

    def _fields(self, obj) -> list[str]:
        return [f.name for f in obj._meta.concrete_fields if f.name != "id"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        fields = self._fields(obj)
        before = snapshot(type(obj).objects.get(pk=obj.pk), fields) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, fields))
        if changes:
            record(
                actor=request.user,
                verb=AuditEvent.Verb.UPDATE if change else AuditEvent.Verb.CREATE,
                obj=obj,
                site=getattr(obj, "site", None),
                changes=changes,
                summary="In the Django admin",
            )

    @transaction.atomic
    def delete_model(self, request, obj):
        record(
            actor=request.user,
            verb=AuditEvent.Verb.DELETE,
            obj=obj,
            site=getattr(obj, "site", None),
            summary="In the Django admin",
        )
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "run_by", "started_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ClinicalArea)
class ClinicalAreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "group", "site", "position"]
    list_filter = ["group"]
    search_fields = ["name", "code"]
    list_select_related = ["site"]
    autocomplete_fields = ["site"]


@admin.register(PlusGroup)
class PlusGroupAdmin(AuditedAdmin):
    list_display = ["name", "code", "parent", "for_children_and_young_people", "site"]
    list_filter = ["for_children_and_young_people"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "site"]
    autocomplete_fields = ["site"]


@admin.register(Wave)
class WaveAdmin(ViewOnlyAdmin):
    list_display = ["name", "number", "period", "status", "programme"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme"]


class SiteOrganisationInline(admin.TabularInline):
    model = SiteOrganisation
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(ViewOnlyAdmin):
    list_display = ["name", "wave", "status", "kind", "published"]
    list_filter = ["wave", "status", "kind", "published", "regions"]
    search_fields = ["name", "local_name", "place", "slug"]
    list_select_related = ["wave"]
    inlines = [SiteOrganisationInline]


@admin.register(Organisation)
class OrganisationAdmin(ViewOnlyAdmin):
    list_display = ["name", "kind", "ods_code", "charity_number"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "ods_code"]
