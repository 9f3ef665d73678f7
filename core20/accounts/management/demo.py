"""Demo users: one per role, attached to a real site where the role needs one."""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from core20.accounts import actions
from core20.accounts.models import Membership, User
from core20.accounts.roles import ROLES
from core20.accounts.two_factor import readable_secret
from core20.programme.models import Organisation, Site

DEMO_SITE = "shropshire-telford-wrekin"
DEMO_ORGANISATION = "telford-wrekin-council"
DEMO_DOMAIN = "demo.core20.example"


class DemoCommand(BaseCommand):
    """A command for local demos: it refuses to run with DEBUG off (a real deployment)
    unless given --allow-production. Subclasses say what they ``refuse`` and ``run``."""

    refuse = "This command is for local demos"
    # Demo set-up only: the system checks (which import every URL module, about two seconds)
    # run in `migrate` before it and in `runserver` after it; `manage.py check` runs them on
    # demand.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Run even when DEBUG is off."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(f"{self.refuse}: DEBUG is off, so nothing was done.")
        self.run(**options)

    def run(self, **options) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class DemoUser:
    role: str
    email: str
    name: str
    password: str
    scope: str
    totp_secret: str = ""


PEOPLE = {
    "national_admin": "Nadia Admin",
    "national_analyst": "Nathan Analyst",
    "site_lead": "Sita Lead",
    "host_coordinator": "Hamid Coordinator",
    "connector": "Connie Connector",
    "decision_maker": "Dev Decision-Maker",
    "panel_member": "Pat Panel",
    "community_member": "Cam Community",
}


def hash_passwords(passwords: list[str]) -> list[str]:
    """``make_password`` for each, a few at a time: the hasher (PBKDF2, over a million
    rounds) spends its time in hashlib, which releases the GIL, so threads use every core.
    Real hashes, as set_password makes."""
    workers = max(1, min(len(passwords), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(make_password, passwords))


@transaction.atomic
def create_demo_users() -> list[DemoUser]:
    """Create (or refresh) the demo users. Each run sets new random passwords, so the
    printed ones are always the ones that work."""
    site = Site.objects.get(slug=DEMO_SITE)
    organisation = Organisation.objects.get(slug=DEMO_ORGANISATION)
    passwords = {key: "-".join(secrets.token_hex(3) for _ in range(3)) for key in PEOPLE}
    hashes = dict(zip(passwords, hash_passwords(list(passwords.values())), strict=True))
    out = []
    for key, name in PEOPLE.items():
        role = ROLES[key]
        email = f"{key.replace('_', '.')}@{DEMO_DOMAIN}"
        password = passwords[key]
        user = User.objects.filter(email=email).first()
        if user is None:
            # Created without a password, then given the hash made above (in this
            # transaction, so the user is never seen without one).
            user = actions.create_user(email=email, full_name=name, password=None, by=None)
        user.password = hashes[key]
        user.save(update_fields=["password"])
        scope = {
            "national": {},
            "site": {"site": site},
            "organisation": {"organisation": organisation},
        }[role.scope]
        if not Membership.objects.filter(
            user=user, role=key, ended_at__isnull=True, **scope
        ).exists():
            actions.grant_role(user=user, role=key, by=None, **scope)
        secret = ""
        if role.requires_two_factor:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(
                    user=user, name="Demo authenticator", confirmed=True
                )
            secret = readable_secret(device)
        label = (
            site.name if "site" in scope else organisation.name if scope else "National programme"
        )
        out.append(DemoUser(key, email, name, password, label, secret))
    return out
