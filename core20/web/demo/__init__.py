"""Sample work for the demo site, so that the demo shows a programme in motion.

``load_demo_content()`` runs after the reference data and the demo users are in place
(scripts/demo). For the demo site (Shropshire, Telford and Wrekin) it creates, through each
app's own actions and so with audit events, what a few months of the programme would leave:
connectors at each stage of the pipeline, hours and expense claims, community activities at
real postcodes, insights sent to the council with responses and actions, a micro-grant fund
with applications, directory services, funding and a quarterly return, the knowledge hub
and its mailing list, its outcomes (target areas, a logic model, a success measure,
indicator data and a trajectory) and its community data pack. All names are made up;
nothing describes real people; the indicator figures are synthetic (made up, not real
figures, and labelled so).

Each part is a module here with ``load(world: DemoWorld) -> None``; they run in the order of
``STEPS``, in one transaction (all or nothing), and later parts may use what earlier ones
left in ``world.made``. A part that saves a file notes it with ``world.wrote(field_file)``:
if the load fails, those files are removed as the rows are rolled back. Safe to run again:
when the demo connector already has a connector record at the demo site, the content is
there and nothing is added.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import import_module

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.test.utils import override_settings
from django.utils import timezone

from core20.accounts.management.demo import DEMO_DOMAIN, DEMO_ORGANISATION, DEMO_SITE, PEOPLE
from core20.accounts.models import User
from core20.files import remove_empty_folders
from core20.programme.models import Organisation, Site

# A database loaded by an older version keeps what it has; the parts added since (say, the
# outcomes) come only with a fresh database.
ALREADY_LOADED = (
    "Demo content is already there: nothing added. For a fresh demo with everything the "
    "current version adds, delete var/core20.sqlite3 and run ./scripts/demo again."
)

IN_MEMORY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

#: The parts, in the order they run.
STEPS = (
    "network",
    "hours",
    "engagement",
    "insights",
    "grants",
    "directory",
    "outcomes",  # before oversight: the returns are prefilled from the site's target areas
    "oversight",
    "selection",
    "knowledge",  # its mailing announces the selection part's call
    "datapacks",  # last: a pack shows the target areas, indicator data and insights above
)


def demo_email(role: str) -> str:
    """The demo user's address for a role key (as core20.accounts.management.demo makes it)."""
    return f"{role.replace('_', '.')}@{DEMO_DOMAIN}"


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """``day`` at that local time, as a stored (aware) datetime: for the dates the parts
    move back after the actions have stamped "now"."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class DemoWorld:
    site: Site
    organisation: Organisation  # the decision-makers' organisation (Telford & Wrekin Council)
    users: dict[str, User]  # role key -> that role's demo user
    today: date
    random: random.Random  # seeded: the same content every time
    made: dict = field(default_factory=dict)  # what one part leaves for later ones
    summary: list[str] = field(default_factory=list)  # one line per part, for the command
    # Files saved to storage (storage, name): the database rolls back on failure, they do not.
    files: list[tuple[Storage, str]] = field(default_factory=list)

    def days_ago(self, days: int, hour: int = 10, minute: int = 0) -> datetime:
        return at(self.today - timedelta(days=days), hour, minute)

    def wrote(self, file: FieldFile) -> None:
        """Note a file a part saved, to remove it if the load fails."""
        self.files.append((file.storage, file.name))

    def remove_files(self) -> None:
        for storage, name in self.files:
            storage.delete(name)
            remove_empty_folders(storage, name)
        self.files.clear()


def _already_loaded(world: DemoWorld) -> bool:
    from core20.network.models import Connector

    return Connector.objects.filter(site=world.site, user=world.users["connector"]).exists()


def load_demo_content(today: date | None = None) -> list[str]:
    """Add the sample work (see the module docstring); the lines say what was added.

    Nobody is emailed: the actions' notices (insights sent to the council, for example) go
    to made-up addresses, so they are kept in memory instead of sent or printed."""
    with override_settings(MAILERS=IN_MEMORY_MAIL):
        world = DemoWorld(
            site=Site.objects.get(slug=DEMO_SITE),
            organisation=Organisation.objects.get(slug=DEMO_ORGANISATION),
            users={role: User.objects.get(email=demo_email(role)) for role in PEOPLE},
            today=today or timezone.localdate(),
            random=random.Random(2019),  # noqa: S311 (sample data, not secrets)
        )
        try:
            with transaction.atomic():
                if _already_loaded(world):
                    return [ALREADY_LOADED]
                for step in STEPS:
                    import_module(f"{__name__}.{step}").load(world)
        except BaseException:
            # The rows are rolled back; the files the parts saved (receipts) go with them.
            world.remove_files()
            raise
    return world.summary
