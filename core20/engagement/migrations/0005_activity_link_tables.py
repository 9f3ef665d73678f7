"""Activity links to clinical areas and PLUS groups move to lean tables (keyed by the pair,
no surrogate id, no database foreign keys): see docs/adr/0007-activity-link-tables.md.
The links are copied across, then the old automatic tables are dropped. The import run
an activity came from loses its database foreign key for the same reason."""

import django.db.models.deletion
from django.db import migrations, models

COPY = """
INSERT INTO engagement_activity_area (activity_id, clinicalarea_id)
SELECT activity_id, clinicalarea_id FROM engagement_activity_clinical_areas;
INSERT INTO engagement_activity_community (activity_id, plusgroup_id)
SELECT activity_id, plusgroup_id FROM engagement_activity_communities;
"""
COPY_BACK = """
INSERT INTO engagement_activity_clinical_areas (activity_id, clinicalarea_id)
SELECT activity_id, clinicalarea_id FROM engagement_activity_area;
INSERT INTO engagement_activity_communities (activity_id, plusgroup_id)
SELECT activity_id, plusgroup_id FROM engagement_activity_community;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0004_site_summary_index"),
        ("programme", "0002_friendly_validation_messages"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityClinicalArea",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "activity_id",
                        "clinicalarea_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "activity",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="engagement.activity",
                    ),
                ),
                (
                    "clinicalarea",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="programme.clinicalarea",
                    ),
                ),
            ],
            options={"db_table": "engagement_activity_area"},
        ),
        migrations.CreateModel(
            name="ActivityCommunity",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "activity_id",
                        "plusgroup_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "activity",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="engagement.activity",
                    ),
                ),
                (
                    "plusgroup",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="programme.plusgroup",
                    ),
                ),
            ],
            options={"db_table": "engagement_activity_community"},
        ),
        migrations.RunSQL(COPY, COPY_BACK),
        migrations.RemoveField(model_name="activity", name="clinical_areas"),
        migrations.RemoveField(model_name="activity", name="communities"),
        migrations.AddField(
            model_name="activity",
            name="clinical_areas",
            field=models.ManyToManyField(
                blank=True,
                related_name="activities",
                through="engagement.ActivityClinicalArea",
                to="programme.clinicalarea",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="communities",
            field=models.ManyToManyField(
                blank=True,
                related_name="activities",
                through="engagement.ActivityCommunity",
                to="programme.plusgroup",
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="import_run",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="engagement.activityrun",
            ),
        ),
    ]
