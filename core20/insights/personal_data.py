"""What insights hold about the people who record them, for a connector's erasure.

An insight is about what a community said, not about the connector who heard it: it names
no one, and its quotes are anonymised. What ties it to the connector is its ``raised_by``
account (and ``Quote.added_by`` for the quotes they added), which shows the site's team who
recorded it, lists it in the connector's own insights and home panel, and puts it in their
copy of their data (core20.network.personal_data, by account and site).

When a connector's details at a site are erased, that tie has to go with them, or the site's
team keeps seeing their name on the insights while their copy of their data (their other
sites' records, where their account stays) no longer lists those insights. The insights stay,
with their summaries, quotes, themes, routings and responses, as community-level evidence,
recorded by no one in particular.
"""

from django.db import transaction

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.insights.models import Insight, Quote

FORGOTTEN = "No longer linked to the person who recorded it: their connector details were erased"


@transaction.atomic
def forget_recorder(*, user, site, by) -> int:
    """Unlink ``user`` from the insights they raised at ``site`` and the quotes they added
    to that site's insights; keep the insights themselves. ``user`` and ``site`` are
    instances or ids; ``by`` is who erases (None for the retention run). Each insight
    unlinked is audited, without the person's name. Returns how many insights were unlinked.

    Run it as part of a connector's erasure, before their record lets go of the account
    (core20.network.personal_data.erase_connector), whether or not the account stays."""
    user_id = getattr(user, "pk", user)
    site_id = getattr(site, "pk", site)
    raised = list(Insight.objects.select_for_update().filter(site_id=site_id, raised_by_id=user_id))
    Insight.objects.filter(pk__in=[i.pk for i in raised]).update(raised_by=None)
    Quote.objects.filter(insight__site_id=site_id, added_by_id=user_id).update(added_by=None)
    for insight in raised:
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=insight,
            site=site_id,
            summary=FORGOTTEN,
        )
    return len(raised)
