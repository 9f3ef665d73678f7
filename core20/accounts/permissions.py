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
    # Selection of sites (calls for expressions of interest, panels)
    CALL_MANAGE = "call_manage"  # open calls, appoint panels, decide applications
    # Funding, quarterly returns and oversight
    FUNDING_MANAGE = "funding_manage"  # set allocations
    SPEND_REPORT = "spend_report"  # report a site's spend
    RETURN_SUBMIT = "return_submit"  # write and submit a site's quarterly return
    RETURN_REVIEW = "return_review"  # accept or return quarterly returns
    OVERSIGHT_VIEW = "oversight_view"  # every site at a glance
    # Knowledge hub and stakeholder mailing list
    KNOWLEDGE_MANAGE = "knowledge_manage"
    MAILING_LIST_SEND = "mailing_list_send"
    # Connector network (host coordinators and site leads, for their site)
    CLAIM_APPROVE = "claim_approve"  # approve hours and expense claims, record payments, export
    GRANT_MANAGE = "grant_manage"  # micro-grant funds, decisions, payments
    GRANT_SCORE = "grant_score"  # score micro-grant applications on a community panel
    DIRECTORY_MANAGE = "directory_manage"  # local services and referral routes
    # Insight bridge
    INSIGHT_MANAGE = "insight_manage"  # route insights, chase responses, publish "you said, we did"
    # Outcomes and data packs
    OUTCOMES_MANAGE = "outcomes_manage"  # a site's logic model, success measures, trajectories
    INDICATOR_MANAGE = "indicator_manage"  # the national indicator catalogue
    INDICATOR_DATA_UPLOAD = "indicator_data_upload"  # upload indicator data and extracts
    DATA_PACK_PUBLISH = "data_pack_publish"  # generate, preview and publish community data packs
    # Everyone signed in
    API_TOKEN_MANAGE = "api_token_manage"  # noqa: S105 (a permission name, not a secret)
