"""The places pages for everyone: the lookup and each site's places. Mounted at /places/
(namespace "placesui"; the import pages use "places")."""

from django.urls import path
from django.views.generic import RedirectView

from core20.places import views_lookup, views_sites

app_name = "placesui"

urlpatterns = [
    # /places/ itself is the lookup, the one places page for everyone.
    path("", RedirectView.as_view(pattern_name="placesui:lookup"), name="index"),
    path("lookup/", views_lookup.lookup, name="lookup"),
    path("sites/<slug:slug>/", views_sites.site_places, name="site-places"),
    path("sites/<slug:slug>/areas/", views_sites.site_areas, name="site-areas"),
    path("sites/<slug:slug>/areas/paste/", views_sites.site_areas_paste, name="site-areas-paste"),
    path("sites/<slug:slug>/areas/add/", views_sites.site_areas_add, name="site-areas-add"),
    path(
        "sites/<slug:slug>/areas/<int:pk>/remove/",
        views_sites.site_areas_remove,
        name="site-areas-remove",
    ),
    path("sites/<slug:slug>/edition/", views_sites.site_edition, name="site-edition"),
]
