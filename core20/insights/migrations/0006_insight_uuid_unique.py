"""Every insight now has a uuid: make it required and unique."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_insight_uuid_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="insight",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
