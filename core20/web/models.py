"""What the web app itself stores: the record of each daily job's runs (core20.web.daily),
for the service status page."""

from django.db import models


class JobRun(models.Model):
    """One run of one daily job. Kept for 90 days (core20.web.daily prunes older runs).

    ``summary`` is the job's own line (counts only) or, on failure, just the error's class:
    an error's text or traceback may name people, so it goes to the log, not here."""

    job = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    ok = models.BooleanField()
    summary = models.TextField(blank=True)
    error = models.CharField(max_length=200, blank=True)  # the exception's class name

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"], name="web_jobrun_job_started")]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M}: {'ok' if self.ok else 'failed'}"
