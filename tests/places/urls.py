"""The root URLs with the places pages mounted at /places/ (until core20/urls.py does)."""

from django.urls import include, path

from core20.urls import handler403, handler404, handler500  # noqa: F401
from core20.urls import urlpatterns as root

mounted = any(getattr(p, "namespace", None) == "places" for p in root)
urlpatterns = root if mounted else [*root, path("places/", include("core20.places.urls"))]
