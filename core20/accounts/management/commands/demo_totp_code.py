from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core20.accounts.management.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current two-factor code for a demo user (local demos only; DEBUG must be on)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("Only available in local demos (DEBUG on).")
        if not email.lower().endswith("@" + DEMO_DOMAIN):
            raise CommandError(f"Only demo users (…@{DEMO_DOMAIN}) have codes shown here.")
        device = TOTPDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no two-factor device.")
        code = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        self.stdout.write(f"{code:0{device.digits}d}")
