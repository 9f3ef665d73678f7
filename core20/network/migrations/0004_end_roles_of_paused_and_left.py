"""Connectors moved to paused or left before ``actions.sync_role`` kept their *Community
connector* role at the site, so they could still record activities and insights there. End
those roles now, as a move to paused or left does (moving them back gives it again), with
the same audit event, recorded by the system."""

from django.db import migrations
from django.utils import timezone

STEPPED_BACK = ("paused", "left")


def end_roles(apps, schema_editor):
    Connector = apps.get_model("network", "Connector")
    Membership = apps.get_model("accounts", "Membership")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    now = timezone.now()
    records = Connector.objects.filter(
        status__in=STEPPED_BACK, user__isnull=False, erased_at__isnull=True
    ).select_related("site", "user")
    for connector in records:
        memberships = Membership.objects.filter(
            user=connector.user, role="connector", site=connector.site, ended_at__isnull=True
        )
        for membership in memberships:
            membership.ended_at = now
            membership.save(update_fields=["ended_at"])
            user = connector.user
            AuditEvent.objects.create(
                actor_label="System",
                verb="revoke",
                object_type="accounts.User",
                object_id=str(user.pk),
                object_label=(user.full_name or user.username)[:300],
                site_id=connector.site_id,
                site_label=connector.site.name[:300],
                changes={"role": "Community connector", "scope": connector.site.name},
                summary=(
                    f"Community connector for {connector.site.name}: their connector record "
                    f"there is {connector.status}"
                )[:500],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_connector_erased_at"),
        ("accounts", "0006_apitoken_expires_at"),
        ("audit", "0003_account_security_verbs"),
    ]

    operations = [migrations.RunPython(end_roles, migrations.RunPython.noop)]
