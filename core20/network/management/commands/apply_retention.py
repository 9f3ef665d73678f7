"""Erase the personal details of connectors whose retention period has ended
(core20.network.personal_data; periods: CONNECTOR_RETENTION_MONTHS after they left,
INTEREST_RETENTION_MONTHS without change for those who never went past a conversation).

Without --erase it only lists who is due. Safe to run daily: erased connectors are not
found again.
"""

from django.core.management.base import BaseCommand

from core20.network.personal_data import apply_retention, rules


class Command(BaseCommand):
    help = "List (or with --erase, erase) connectors whose personal-data retention has ended."

    def add_arguments(self, parser):
        parser.add_argument(
            "--erase", action="store_true", help="Erase their details (default: only list them)"
        )

    def handle(self, *args, erase: bool, **options):
        run = apply_retention(erase=erase)
        for rule in rules():
            ids = run.due[rule.key]
            shown = ", ".join(str(pk) for pk in ids[:20]) + (" …" if len(ids) > 20 else "")
            self.stdout.write(
                f"{len(ids)} connector(s) {rule.description.format(months=rule.months)}"
                + (f": {shown}" if ids else "")
            )
        if erase:
            self.stdout.write(f"Erased the personal details of {len(run.erased)} connector(s).")
        else:
            self.stdout.write("Nothing erased: run with --erase to erase them.")
