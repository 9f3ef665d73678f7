"""Email connectors and their host coordinators about checks and training that are expiring.

Safe to run daily (cron or a scheduled task): each check and completion is reminded about
once (until it is renewed).
"""

from django.core.management.base import BaseCommand

from core20.network.reminders import DEFAULT_DAYS, send_reminders


class Command(BaseCommand):
    help = "Email connectors and coordinators about checks and training expiring soon (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Remind about what expires within this many days (default {DEFAULT_DAYS})",
        )

    def handle(self, *args, days: int, **options):
        result = send_reminders(days=days)
        self.stdout.write(
            f"Reminded about {result.completions} training completions and {result.checks} "
            f"checks ({result.emails} emails)."
        )
