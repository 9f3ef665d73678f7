"""The programme overview: what it is, who runs it, its waves and where its sites are."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.places.models import Region
from core20.programme.models import Programme, Site, Wave
from core20.programme.queries import visible_sites


def overview(request: HttpRequest) -> HttpResponse:
    programme = Programme.objects.order_by("pk").first()
    sites = visible_sites(request.user)
    waves = []
    if programme is not None:
        waves = (
            Wave.objects.filter(programme=programme)
            .annotate(
                site_count=Count("sites", filter=Q(sites__in=sites)),
                associate_count=Count(
                    "sites", filter=Q(sites__in=sites, sites__status=Site.Status.ASSOCIATE)
                ),
            )
            .order_by("number")
        )
    regions = (
        Region.objects.annotate(site_count=Count("sites", filter=Q(sites__in=sites), distinct=True))
        .filter(site_count__gt=0)
        .order_by("name")
    )
    return render(
        request,
        "programme/overview.html",
        {
            "programme": programme,
            "waves": waves,
            "regions": regions,
            "site_count": sites.count(),
            "can_manage": has_permission(request.user, Permission.PROGRAMME_MANAGE),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )
