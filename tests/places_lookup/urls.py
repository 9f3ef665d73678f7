"""The project's URLs plus the places pages, mounted at /places/ as the lead will mount them
in core20/urls.py (until then, these tests use this URL conf)."""

from django.urls import include, path

from core20.urls import handler403, handler404, handler500
from core20.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "placesui" for p in urlpatterns):
    urlpatterns.append(path("places/", include("core20.places.urls_public")))

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
