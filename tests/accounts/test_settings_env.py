import pytest
from django.core.exceptions import ImproperlyConfigured

from core20.env import env_bool, env_int, env_list, env_secret, env_str


def test_missing_required_variable_names_it():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_secret("SECRET_KEY", environ={})


def test_short_secret_is_refused():
    with pytest.raises(ImproperlyConfigured, match="at least 50"):
        env_secret("SECRET_KEY", environ={"SECRET_KEY": "short"})


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("NO", False), ("", False)]
)
def test_env_bool_reads_common_spellings(raw, expected):
    assert env_bool("DEBUG", environ={"DEBUG": raw}) is expected


def test_env_bool_rejects_nonsense():
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", environ={"DEBUG": "maybe"})


def test_env_int_rejects_text():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", environ={"EMAIL_PORT": "twenty-five"})


def test_env_list_and_defaults():
    assert env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a.example, b.example,"}) == [
        "a.example",
        "b.example",
    ]
    assert env_str("EMAIL_HOST", "localhost", environ={}) == "localhost"


def test_file_variant_reads_a_mounted_secret(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789\n")
    value = env_secret("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)})
    assert value.endswith("0123456789")
