"""A uuid for each insight, so that a submission sent twice (the offline form syncing, a
double click) stores one insight. Added empty here, filled by 0005 and made unique by 0006
(three migrations, as Django's docs advise for a unique field on existing rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_insight_kept"),
    ]

    operations = [
        migrations.AddField(
            model_name="insight",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
