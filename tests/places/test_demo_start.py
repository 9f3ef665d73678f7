"""The demo's set-up commands (scripts/demo) start quickly: they leave the system checks,
which import every URL module, to `migrate` and `runserver`; the demo users' passwords are
hashed on every core, and still as real hashes."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher
from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand

from core20.accounts.management.demo import hash_passwords

SET_UP_COMMANDS = [
    "load_places_reference",
    "load_reference_data",
    "load_outcomes_reference",
    "create_demo_users",
    "load_demo_content",
]


@pytest.mark.parametrize("name", SET_UP_COMMANDS)
def test_demo_set_up_commands_leave_the_system_checks_to_migrate_and_runserver(name):
    command = load_command_class(get_commands()[name], name)
    with (
        mock.patch.object(BaseCommand, "check") as check,
        mock.patch.object(type(command), "handle", return_value=None) as handle,
    ):
        command.run_from_argv(["manage.py", name])  # as scripts/demo runs it
    handle.assert_called_once()
    check.assert_not_called()


def test_demo_passwords_get_real_hashes_from_the_configured_hasher():
    passwords = ["abc-def-123", "456-ghi-789", "jkl-012-mno"]
    hashes = hash_passwords(passwords)
    assert len(hashes) == len(passwords)
    for password, hashed in zip(passwords, hashes, strict=True):
        assert identify_hasher(hashed).algorithm == get_hasher().algorithm
        assert check_password(password, hashed)
        assert not check_password(password + "x", hashed)
