"""API tokens expire. Tokens made before they did get a year from when they were made, and at
least 30 days from this migration, so that no script stops without its owner being able to
see the date first on their API tokens page."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    soonest = timezone.now() + timedelta(days=30)
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        token.expires_at = max(token.created_at + timedelta(days=365), soonest)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_digest_label")]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField()
        ),
    ]
