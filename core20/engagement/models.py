"""Community activities that connectors record, and the runs that import and export them.

An ``Activity`` is one thing a connector did with a community on one day: an event, an
outreach session, a health-check promotion... It holds community-level tallies only (how
many people were reached, optionally by age band, sex and ethnic group, how many MECC
conversations were had, how many blood-pressure checks were offered), never anything about
a named member of the public. Where it happened is kept as the postcode or LSOA code typed,
and the LSOA, deprivation decile and Core20 status derived from it with the places lookup,
with the deprivation edition used, so that a later edition does not silently change old
figures.

Activities carry a ``uuid``: the browser makes one when a connector records an activity
offline, so that the same submission sent twice (a retry after a dropped connection) is
stored once. Imported activities carry the file's ``external_id`` (unique per site) for
the same reason.

Changes go through core20.engagement.actions, which checks permissions and audits them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator

from core20.programme.models import ClinicalArea, PlusGroup, Site


class ActivityType(models.TextChoices):
    EVENT = "event", "Event"
    OUTREACH = "outreach", "Outreach"
    CONVERSATION = "conversation", "Conversation session"
    CO_DELIVERY = "co_delivery", "Co-delivery with a PCN"
    HEALTH_CHECK = "health_check", "Health-check promotion"
    VACCINATION = "vaccination", "Vaccination"
    GP_REGISTRATION = "gp_registration", "GP registration drive"
    SCREENING = "screening", "Screening awareness"
    TRAINING = "training", "Training"
    DECISION_MAKERS = "decision_makers", "Meeting with decision-makers"
    OTHER = "other", "Other"


# Optional breakdowns of the people reached: counts only. Keys are stable (files and the
# API use them); labels are what the form shows.
AGE_BANDS = {
    "0_17": "Under 18",
    "18_24": "18 to 24",
    "25_44": "25 to 44",
    "45_64": "45 to 64",
    "65_plus": "65 and over",
}
SEXES = {"female": "Female", "male": "Male", "other": "Other or not said"}
ETHNIC_GROUPS = {
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "mixed": "Mixed or multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}
BREAKDOWNS = {"age": AGE_BANDS, "sex": SEXES, "ethnicity": ETHNIC_GROUPS}
BREAKDOWN_LABELS = {"age": "age band", "sex": "sex", "ethnicity": "ethnic group"}

# Case-finding and health-promotion tallies.
CASE_FINDING = {
    "bp_checks_offered": "Blood pressure checks offered",
    "smi_checks_promoted": "SMI health checks promoted",
    "cancer_screening_promoted": "Cancer screening promoted",
    "vaccinations_promoted": "Vaccinations promoted",
    "gp_registrations_supported": "GP registrations supported",
    "health_checks_promoted": "NHS Health Checks promoted",
}

MAX_COUNT = 1_000_000  # more people than any one activity reaches: a typing slip


class Activity(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # site and recorded_by are indexed by the composite indexes below (Meta), so they get
    # no index of their own: fewer indexes make bulk imports faster.
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="activities", db_index=False
    )
    # Who recorded it (a connector sees and edits only the activities they recorded).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities_recorded",
        db_index=False,
    )
    # The connector's record in the network, where the person recording has one at the site.
    connector = models.ForeignKey(
        "network.Connector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    date = models.DateField()
    kind = models.CharField("type", max_length=20, choices=ActivityType.choices)
    venue = models.CharField(max_length=200, blank=True)
    place = models.CharField(
        "postcode or LSOA code", max_length=20, blank=True, help_text="As typed."
    )
    lsoa = models.CharField("LSOA", max_length=9, blank=True)
    imd_decile = models.PositiveSmallIntegerField("deprivation decile", null=True, blank=True)
    core20 = models.BooleanField("in a Core20 area", null=True, blank=True)
    deprivation_edition = models.CharField(max_length=20, blank=True)
    clinical_areas = models.ManyToManyField(
        ClinicalArea, blank=True, related_name="activities", through="ActivityClinicalArea"
    )
    communities = models.ManyToManyField(
        PlusGroup, blank=True, related_name="activities", through="ActivityCommunity"
    )
    people_reached = models.PositiveIntegerField()
    # {"age": {"18_24": 3, ...}, "sex": {...}, "ethnicity": {...}}: counts only.
    breakdown = models.JSONField(default=dict, blank=True)
    mecc_conversations = models.PositiveIntegerField("MECC conversations", default=0)
    # {"bp_checks_offered": 4, ...}
    case_finding = models.JSONField(default=dict, blank=True)
    languages = models.CharField(max_length=300, blank=True)
    partners = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    import_run = models.ForeignKey(
        "ActivityRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # only read when a run is deleted (rare)
        # Where a row came from, not what it means: no database check per imported row
        # (docs/adr/0007). Runs are not deleted by the product; the ORM would clear it.
        db_constraint=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            # A site's list and dashboard. The included columns let PostgreSQL answer the
            # dashboard's one aggregate from the index alone (SQLite ignores them).
            models.Index(
                fields=["site", "date"],
                include=["kind", "people_reached", "core20", "mecc_conversations"],
                name="engagement_site_summary",
            ),
            models.Index(fields=["recorded_by", "date"], name="engagement_recorder_date"),
            # The national list, newest first, without sorting every activity.
            models.Index(fields=["-date", "-id"], name="engagement_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "external_id"],
                condition=~Q(external_id=""),
                name="engagement_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        """Like "Outreach at Family hub, Madeley on 23 Nov 2026": the venue, where there is
        one, tells apart two activities of one type on one day (in lists to choose from, page
        titles and the audit log). A long venue is cut to 80 characters."""
        venue = Truncator(self.venue.strip()).chars(80)
        where = f" at {venue}" if venue else ""
        return f"{self.get_kind_display()}{where} on {self.date:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:activity-detail", args=[self.pk])

    def breakdown_rows(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """[(dimension label, [(group label, count), ...]), ...] for the groups given."""
        rows = []
        for key, groups in BREAKDOWNS.items():
            given = self.breakdown.get(key) or {}
            pairs = [(label, given[k]) for k, label in groups.items() if given.get(k)]
            if pairs:
                rows.append((BREAKDOWN_LABELS[key], pairs))
        return rows

    def case_finding_rows(self) -> list[tuple[str, int]]:
        return [
            (label, self.case_finding[k])
            for k, label in CASE_FINDING.items()
            if self.case_finding.get(k)
        ]


# The two link tables hold ~2.7 rows per activity, so a million-row import writes almost
# three million links. They are keyed by (activity, target) alone, with no surrogate id,
# no other index and no database foreign keys: checking those per row made up most of an
# import's time (docs/adr/0007-activity-link-tables.md). Integrity is kept by the code that
# writes them: the ORM (which deletes an activity's links with it) and the importer (which
# locks the clinical areas and PLUS groups it links to for the transaction).


class ActivityClinicalArea(models.Model):
    pk = models.CompositePrimaryKey("activity_id", "clinicalarea_id")
    # (the primary key, led by activity_id, is the index for it)
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    clinicalarea = models.ForeignKey(
        ClinicalArea, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )

    class Meta:
        db_table = "engagement_activity_area"

    def __str__(self) -> str:
        return f"{self.activity_id} – {self.clinicalarea_id}"


class ActivityCommunity(models.Model):
    pk = models.CompositePrimaryKey("activity_id", "plusgroup_id")
    # (the primary key, led by activity_id, is the index for it)
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    plusgroup = models.ForeignKey(
        PlusGroup, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )

    class Meta:
        db_table = "engagement_activity_community"

    def __str__(self) -> str:
        return f"{self.activity_id} – {self.plusgroup_id}"


class SignpostingCount(models.Model):
    """How many people an activity signposted to one service of the directory."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signposting")
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="signposting_counts"
    )
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["service__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "service"], name="engagement_one_count_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} signposted to {self.service}"


class ActivityRun(models.Model):
    """One import of an activities file, or one XLSX export, run as a background task.
    The run's page polls it for progress (the pattern of core20.places import runs)."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export (XLSX)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="activity_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=255, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_runs",
    )
    task_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(100 * self.rows_done / self.rows_total))
