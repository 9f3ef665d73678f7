"""URL map. Each app owns its own urls module; the API is mounted at /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from core20.api.urls import api

urlpatterns = [
    path("", include("core20.web.urls")),
    path("", include("core20.web.urls_ops")),  # /health/ and /status/ (namespace "ops")
    path("account/", include("core20.accounts.urls")),
    path("programme/", include("core20.programme.urls")),
    path("audit/", include("core20.audit.urls")),
    path("places/", include("core20.places.urls")),  # reference-data imports (namespace "places")
    path("places/", include("core20.places.urls_public")),  # lookup, site places ("placesui")
    path("selection/", include("core20.selection.urls")),
    path("oversight/", include("core20.oversight.urls")),
    path("knowledge/", include("core20.knowledge.urls")),
    path("network/", include("core20.network.urls")),
    path("hours/", include("core20.hours.urls")),
    path("grants/", include("core20.grants.urls")),
    path("directory/", include("core20.directory.urls")),
    path("activities/", include("core20.engagement.urls")),
    path("insights/", include("core20.insights.urls")),
    path("outcomes/", include("core20.outcomes.urls")),
    path("data-packs/", include("core20.datapacks.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "core20.web.views.permission_denied"
handler404 = "core20.web.views.page_not_found"
handler500 = "core20.web.views.server_error"
