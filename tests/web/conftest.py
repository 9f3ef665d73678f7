import pytest


@pytest.fixture(autouse=True)
def _own_media(media):
    """The demo parts save files (receipts, a resource's PDF): each test has its own folder."""
