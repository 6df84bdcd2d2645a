"""Django's model permissions, read in one query per request instead of two (issue 12).

Every admin page asks ``user.has_perm`` before anything else; Django's ``ModelBackend`` then reads
the user's own permissions and their groups' permissions as two queries. Here one ``UNION`` reads
both into the same per-user-object cache (``_perm_cache``) with the same answers, so whatever
clears that cache (``tests/spreadsheets/conftest.py``) keeps working.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permission_names(user_obj)
        return user_obj._perm_cache


def _permission_names(user) -> set[str]:
    """ "app_label.codename" of every permission the user holds directly or through a group; all of
    them for a superuser, as ``ModelBackend`` answers."""
    fields = ("content_type__app_label", "codename")
    permissions = Permission.objects.order_by()  # unordered: SQLite refuses an ORDER BY inside a UNION
    if user.is_superuser:
        rows = permissions.values_list(*fields)
    else:
        rows = (
            permissions.filter(user=user)
            .values_list(*fields)
            .union(permissions.filter(group__user=user).values_list(*fields))
        )
    return {f"{app_label}.{codename}" for app_label, codename in rows}
