"""Run the daily jobs (core20.web.daily): renewal reminders, insight reminders and
escalations, personal-data retention, then the "waiting for you" emails. Schedule it once a
day; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from core20.web.daily import run_daily_jobs


class Command(BaseCommand):
    help = (
        "Run the daily jobs: reminders, escalations, personal-data retention and the "
        '"waiting for you" emails.'
    )

    def handle(self, *args, **options):
        results = run_daily_jobs()
        for result in results:
            self.stdout.write(f"{result.name}: {result.message}")
        failed = [r.name for r in results if not r.ok]
        if failed:
            raise CommandError(f"{len(failed)} daily job(s) failed: {', '.join(failed)}")
