"""Remind decision-makers before a response is due and tell site leads when it is overdue.

Run it daily (cron, or the task core20.insights.tasks.send_insight_reminders). Safe to run
again: each reminder and each escalation is sent once.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core20.insights.actions import send_reminders


class Command(BaseCommand):
    help = "Send due-date reminders and overdue escalations for routed insights (each once)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        on = None
        if options["date"]:
            try:
                on = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"--date must be a date like 2026-04-01, not {options['date']!r}"
                ) from exc
        sent = send_reminders(on=on)
        self.stdout.write(
            f"{sent['reminders']} reminder(s) and {sent['escalations']} escalation(s) sent."
        )
