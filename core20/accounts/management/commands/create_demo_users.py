from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core20.accounts.management.demo import create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role (new passwords each run) and print their sign-in details."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Run even when DEBUG is off."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Demo users are for local demos: DEBUG is off, so nothing was created."
            )
        users = create_demo_users()
        self.stdout.write("\nDemo users (sign in at http://127.0.0.1:8000/account/sign-in/):\n")
        width = max(len(u.email) for u in users)
        for u in users:
            self.stdout.write(
                f"  {u.email:<{width}}  password: {u.password}   ({u.name}: {u.scope})"
            )
            if u.totp_secret:
                self.stdout.write(
                    f"  {'':<{width}}  two-factor key: {u.totp_secret}"
                    "  (add to an authenticator app, or run: manage.py demo_totp_code "
                    + u.email
                    + ")"
                )
        self.stdout.write("")
