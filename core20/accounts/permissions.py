"""Everything a user may do, named once. Roles (roles.py) grant sets of these."""

from enum import StrEnum


class Permission(StrEnum):
    # Programme structure
    PROGRAMME_MANAGE = "programme_manage"  # create and edit programmes and waves
    SITE_CREATE = "site_create"
    SITE_EDIT = "site_edit"  # edit a site's details (national admins: any; site leads: their own)
    SITE_VIEW_UNPUBLISHED = "site_view_unpublished"  # see sites not yet announced
    SITE_VIEW_INTERNAL = (
        "site_view_internal"  # contacts, notes and other details not shown publicly
    )
    ORGANISATION_MANAGE = "organisation_manage"
    # People
    MEMBERSHIP_MANAGE = (
        "membership_manage"  # grant and revoke roles (national: any; site lead: own site)
    )
    # Oversight
    AUDIT_VIEW = "audit_view"  # the audit log (national: everything; site lead: their site)
    ANALYTICS_VIEW = "analytics_view"  # inequalities analytics across sites
    REFERENCE_DATA_IMPORT = "reference_data_import"
    # Delivery (used by later capabilities; granted now so roles read as the product intends)
    CONNECTOR_MANAGE = "connector_manage"
    ACTIVITY_RECORD = "activity_record"
    INSIGHT_RESPOND = "insight_respond"
    APPLICATION_SCORE = "application_score"
    # Everyone signed in
    API_TOKEN_MANAGE = "api_token_manage"  # noqa: S105 (a permission name, not a secret)
