import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded photos go to a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
