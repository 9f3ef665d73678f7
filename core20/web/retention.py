"""Personal-data retention across the apps: each app that holds personal data lists its rules
(``retention_rules()`` in the module named in PROVIDERS); ``manage.py apply_retention`` finds,
and with ``--erase`` erases, whatever a rule says is due. Erasure itself is the app's own
audited action, the same one staff use on request (docs/privacy.md)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

# Every erasure the run makes gives this reason (the retention page finds them by it).
REASON = "Retention period ended"

PROVIDERS = (
    "core20.network.personal_data",
    "core20.grants.personal_data",
    "core20.selection.personal_data",
    "core20.accounts.personal_data",
    "core20.hours.personal_data",
)


@dataclass(frozen=True)
class Rule:
    key: str
    what: str  # what is found, in a sentence with {months}: "connectors who left ..."
    setting: str  # the settings name holding the period in months
    due: Callable[[datetime, int], QuerySet]  # (now, months) -> the records now due
    erase: Callable[[Model, str], object]  # (record, reason): erased by the system

    @property
    def months(self) -> int:
        return getattr(settings, self.setting)

    @property
    def description(self) -> str:
        return self.what.format(months=self.months)


def rules() -> list[Rule]:
    return [rule for name in PROVIDERS for rule in import_module(name).retention_rules()]


@dataclass
class RetentionRun:
    """What a run found ({rule key: record ids}) and, when it erased, what it erased."""

    due: dict[str, list[int]] = field(default_factory=dict)
    erased: dict[str, list[int]] = field(default_factory=dict)


def apply_retention(*, erase: bool, now: datetime | None = None) -> RetentionRun:
    """Each erasure is its own transaction (the app's action), so one that fails leaves the
    others done; erased records are not found again, so a rerun does nothing new."""
    now = now or timezone.now()
    run = RetentionRun()
    for rule in rules():
        records = list(rule.due(now, rule.months))
        run.due[rule.key] = [r.pk for r in records]
        run.erased[rule.key] = []
        if not erase:
            continue
        for record in records:
            if erase_if_still_due(rule, record, now=now):
                run.erased[rule.key].append(record.pk)
    return run


@transaction.atomic
def erase_if_still_due(rule: Rule, record: Model, *, now: datetime) -> bool:
    """Erase ``record`` if, with its row locked, ``rule`` still finds it due; False where it
    is not (someone changed or submitted a draft between the run finding it and now), and
    the record is kept. The app's actions that change such a record lock the same row, so
    nothing can change it between this check and the erasure."""
    list(type(record).objects.select_for_update().filter(pk=record.pk).only("pk"))
    if not rule.due(now, rule.months).filter(pk=record.pk).exists():
        return False
    rule.erase(record, f"{REASON}: {rule.description}")
    return True
