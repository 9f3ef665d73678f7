"""Email each person due one today what is waiting for them (core20.web.digest). Part of
run_daily_jobs; this runs it on its own. Safe to run again: a second run the same day sends
nothing new."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core20.web.digest import send_digests


class Command(BaseCommand):
    help = 'Send today\'s "waiting for you" emails to the people due one.'

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            dest="on",
            type=date.fromisoformat,
            help="Send as if today were this date (YYYY-MM-DD); default: today",
        )

    def handle(self, *args, on: date | None = None, **options):
        result = send_digests(today=on)
        self.stdout.write(
            f'Sent {result.sent} "waiting for you" email(s); '
            f"{result.nothing_waiting} person(s) due one had nothing waiting."
        )
        if result.failed:
            raise CommandError(f"{result.failed} email(s) could not be sent (see the log).")
