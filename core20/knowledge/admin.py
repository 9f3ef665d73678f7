"""The knowledge hub in the Django admin, for technical staff (is_staff): view-only, since
the hub's pages validate files and links and audit every change. Mailing-list subscribers
are deliberately not listed here: their addresses are used only to send the notices they
asked for (see the sign-up page)."""

from django.contrib import admin

from core20.knowledge.models import Mailing, Resource


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(ViewOnlyAdmin):
    list_display = ("title", "kind", "published", "published_on")
    list_filter = ("kind", "published")
    search_fields = ("title",)


@admin.register(Mailing)
class MailingAdmin(ViewOnlyAdmin):
    list_display = ("subject", "status", "sent_at", "recipient_count")
    list_filter = ("status",)
