import pytest
from django.contrib.auth.models import Permission


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    # A real worker reads uploads from its own MEDIA_ROOT, so the queued-import test keeps the shared one.
    if request.node.get_closest_marker("celery") is None:
        settings.MEDIA_ROOT = tmp_path / "media"


def grant(user, *codenames: str):
    """Give a user model permissions directly (the roles' groups grant them in production)."""
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="governance", codename__in=codenames))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user
