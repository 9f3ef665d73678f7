"""What a site's page links to beyond its description.

``community_links``: what anyone can take part in or read at the site (become a connector,
apply for a micro-grant, local services, "you said, we did", data packs). Without these the
public pages of a site had no way in to them.

``team_links``: the site's pages the viewer may work on. Each rule is the view's own check
(the same function the view calls), so no one is shown a link that refuses them (tested).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.http import urlencode

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.programme.models import Site


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    hint: str = ""


def community_links(site: Site, today: date) -> list[Link]:
    """Two queries: the funds open today, and one asking at once whether the site has
    services the public can find, published insights and published data packs. A link is
    offered only where its page has something for the public to read, so none leads to an
    empty page."""
    from core20.datapacks.models import DataPack
    from core20.directory.models import Service
    from core20.grants.models import Fund
    from core20.insights.models import Insight

    links = []
    if site.takes_expressions_of_interest:
        links.append(
            Link(
                "Become a community connector",
                reverse("network:interest", args=[site.slug]),
                "Tell the site you are interested. You do not need an account.",
            )
        )
    if site.published:
        funds = Fund.objects.filter(site=site, opens_on__lte=today, closes_on__gte=today)
        links += [
            Link(
                f"Apply for a micro-grant: {fund.name}",
                fund.get_absolute_url(),
                f"For community groups. Closes {format_date(fund.closes_on, 'j F Y')}.",
            )
            for fund in funds.order_by("closes_on", "name")
        ]
    # What the directory shows the public for the site: its own published services (once
    # the site is published) and national ones, less those that have closed for good.
    own = Q(site=OuterRef("pk")) if site.published else Q(pk__in=[])
    services = Service.objects.filter(published=True).exclude(status=Service.Status.DEFUNCT)
    has = (
        Site.objects.filter(pk=site.pk)
        .values(
            has_services=Exists(services.filter(own | Q(site__isnull=True))),
            has_insights=Exists(Insight.objects.filter(site=OuterRef("pk"), public=True)),
            has_packs=Exists(
                DataPack.objects.filter(site=OuterRef("pk"), status=DataPack.Status.PUBLISHED)
            ),
        )
        .get()
    )
    if has["has_services"]:
        links.append(
            Link(
                "Local services and how to refer to them",
                f"{reverse('directory:search')}?{urlencode({'site': site.slug})}",
                "Services near you, and how to get help from them.",
            )
        )
    if site.published and has["has_insights"]:
        links.append(
            Link(
                "You said, we did",
                reverse("insights:public", args=[site.slug]),
                "What communities told the site, and what changed because of it.",
            )
        )
    if has["has_packs"]:
        links.append(
            Link(
                "Community data packs",
                reverse("datapacks:site", args=[site.slug]),
                "Figures for the site's areas, in plain language, with open data.",
            )
        )
    return links


def team_links(user, site: Site) -> list[Link]:
    """No queries: every check reads the user's memberships."""
    from core20.engagement.access import can_view_site
    from core20.grants.views import may_manage as may_manage_grants
    from core20.hours.actions import may_manage as may_manage_hours
    from core20.insights.access import may_manage as may_manage_insights
    from core20.network.visibility import may_manage as may_manage_connectors

    if not user.is_authenticated:
        return []
    slug = [site.slug]
    rules = (
        ("Connectors", "network:site-connectors", may_manage_connectors(user, site)),
        ("Hours and expenses", "hours:site", may_manage_hours(user, site)),
        ("Activities", "engagement:site-dashboard", can_view_site(user, site)),
        ("Decision-makers and response times", "insights:bridge", may_manage_insights(user, site)),
        (
            "Insight accountability figures",
            "insights:site-figures",
            may_manage_insights(user, site)
            or has_permission(user, Permission.ANALYTICS_VIEW, site=site),
        ),
        (
            "Start a micro-grant fund",
            "grants:fund-create",
            may_manage_grants(user, site),
        ),
        (
            "Outcomes and evaluation",
            "outcomes:site",
            has_permission(user, Permission.ANALYTICS_VIEW, site=site),
        ),
        (
            "Data packs to generate and publish",
            "datapacks:site",
            has_permission(user, Permission.DATA_PACK_PUBLISH, site=site),
        ),
    )
    return [Link(label, reverse(route, args=slug)) for label, route, shows in rules if shows]
