"""Roles: who does what in the Connectors programme.

Each role is a plain class with a description in plain English and the permissions it
grants. ``scope`` says what a membership of that role is attached to:
"national" (the whole programme), "site", or "organisation" (for example a trust whose
decision-makers receive insight).
"""

from typing import ClassVar, Literal

from core20.accounts.permissions import Permission as P

Scope = Literal["national", "site", "organisation"]


class Role:
    key: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    scope: ClassVar[Scope]
    permissions: ClassVar[frozenset[P]]
    # National roles can see and change every site, so they must use two-factor sign-in.
    requires_two_factor: ClassVar[bool] = False


class NationalAdmin(Role):
    key = "national_admin"
    name = "National admin"
    description = (
        "Runs the national programme: creates waves and sites, manages organisations and "
        "people, and sees the audit log for everything."
    )
    scope = "national"
    requires_two_factor = True
    permissions = frozenset(P)  # every permission


class NationalAnalyst(Role):
    key = "national_analyst"
    name = "National analyst"
    description = (
        "Analyses inequalities across the programme: sees every site's figures and loads "
        "reference data, but does not change sites or people."
    )
    scope = "national"
    requires_two_factor = True
    permissions = frozenset(
        {
            P.SITE_VIEW_UNPUBLISHED,
            P.SITE_VIEW_INTERNAL,
            P.ANALYTICS_VIEW,
            P.REFERENCE_DATA_IMPORT,
            P.OVERSIGHT_VIEW,
            P.INDICATOR_MANAGE,
            P.INDICATOR_DATA_UPLOAD,
            P.API_TOKEN_MANAGE,
        }
    )


class SiteLead(Role):
    key = "site_lead"
    name = "Site lead"
    description = (
        "Leads a site's Connectors programme: edits the site's details, manages its team "
        "and sees its audit log."
    )
    scope = "site"
    permissions = frozenset(
        {
            P.SITE_EDIT,
            P.SITE_VIEW_UNPUBLISHED,
            P.SITE_VIEW_INTERNAL,
            P.MEMBERSHIP_MANAGE,
            P.AUDIT_VIEW,
            P.ANALYTICS_VIEW,
            P.CONNECTOR_MANAGE,
            P.SPEND_REPORT,
            P.RETURN_SUBMIT,
            P.CLAIM_APPROVE,
            P.GRANT_MANAGE,
            P.DIRECTORY_MANAGE,
            P.INSIGHT_MANAGE,
            P.OUTCOMES_MANAGE,
            P.INDICATOR_DATA_UPLOAD,
            P.DATA_PACK_PUBLISH,
            P.API_TOKEN_MANAGE,
        }
    )


class HostCoordinator(Role):
    key = "host_coordinator"
    name = "Host coordinator"
    description = (
        "Works for the host organisation (a VCSE group or Healthwatch) that recruits, trains "
        "and supports the site's connectors."
    )
    scope = "site"
    permissions = frozenset(
        {
            P.SITE_VIEW_UNPUBLISHED,
            P.SITE_VIEW_INTERNAL,
            P.CONNECTOR_MANAGE,
            P.ACTIVITY_RECORD,
            P.CLAIM_APPROVE,
            P.GRANT_MANAGE,
            P.DIRECTORY_MANAGE,
            P.INSIGHT_MANAGE,
            P.API_TOKEN_MANAGE,
        }
    )


class Connector(Role):
    key = "connector"
    name = "Community connector"
    description = (
        "A local person with lived experience who runs community activities, raises "
        "awareness and gathers insight about barriers to care."
    )
    scope = "site"
    permissions = frozenset({P.ACTIVITY_RECORD})


class DecisionMaker(Role):
    key = "decision_maker"
    name = "Decision-maker"
    description = (
        "Works in an organisation that receives communities' insight (a PCN, trust, ICB or "
        "council), responds to it and reports what changed."
    )
    scope = "organisation"
    permissions = frozenset({P.INSIGHT_RESPOND, P.API_TOKEN_MANAGE})


class PanelMember(Role):
    key = "panel_member"
    name = "Panel member"
    description = (
        "Sits on a selection panel (including VCSE and lived-experience members) and scores "
        "expressions of interest independently."
    )
    scope = "national"
    permissions = frozenset({P.APPLICATION_SCORE})


class CommunityMember(Role):
    key = "community_member"
    name = "Community member"
    description = (
        "A member of the public who follows a site's work: sees its public pages and what "
        "changed as a result of what communities said, and may sit on its micro-grant panel."
    )
    scope = "site"
    # Community members may sit on the site's micro-grant panel.
    permissions = frozenset({P.GRANT_SCORE})


ROLES: dict[str, type[Role]] = {
    role.key: role
    for role in (
        NationalAdmin,
        NationalAnalyst,
        SiteLead,
        HostCoordinator,
        Connector,
        DecisionMaker,
        PanelMember,
        CommunityMember,
    )
}
ROLE_CHOICES = [(key, role.name) for key, role in ROLES.items()]


def get_role(key: str) -> type[Role]:
    return ROLES[key]
