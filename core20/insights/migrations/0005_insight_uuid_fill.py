"""Give each existing insight its own uuid."""

import uuid

from django.db import migrations


def give_each_a_uuid(apps, schema_editor):
    Insight = apps.get_model("insights", "Insight")
    rows = list(Insight.objects.filter(uuid__isnull=True).only("pk"))
    for row in rows:
        row.uuid = uuid.uuid4()
    Insight.objects.bulk_update(rows, ["uuid"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_insight_uuid"),
    ]

    operations = [
        migrations.RunPython(give_each_a_uuid, migrations.RunPython.noop, elidable=True),
    ]
