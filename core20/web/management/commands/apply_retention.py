"""Erase personal data whose retention period has ended (core20.web.retention: connectors
who left, expressions of interest that went nowhere, decided micro-grant applications,
contacts on applications to calls not selected, unused accounts, and the receipt files of
paid or rejected expense claims and of drafts long untouched, whose claims stay; the periods
are settings, see docs/privacy.md).

Without --erase it only lists what is due. Safe to run daily: erased records are not found
again.
"""

from django.core.management.base import BaseCommand

from core20.web.retention import apply_retention, rules


class Command(BaseCommand):
    help = (
        "List (or with --erase, erase) personal data whose retention period has ended, "
        "including the receipt files of paid or rejected expense claims and of drafts long "
        "untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--erase", action="store_true", help="Erase it (default: only list what is due)"
        )

    def handle(self, *args, erase: bool, **options):
        run = apply_retention(erase=erase)
        for rule in rules():
            ids = run.due[rule.key]
            shown = ", ".join(str(pk) for pk in ids[:20]) + (" …" if len(ids) > 20 else "")
            line = f"{len(ids)} {rule.description}" + (f": {shown}" if ids else "")
            if erase:
                line += f" (erased {len(run.erased[rule.key])})"
            self.stdout.write(line)
        if not erase:
            self.stdout.write("Nothing erased: run with --erase to erase them.")
