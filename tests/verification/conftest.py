import pytest


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Evidence uploads land in a per-test directory, never in the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
