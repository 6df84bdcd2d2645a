"""The model permissions in one query a request (``governance.permissions_backend``), with the
answers of Django's ``ModelBackend``."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from governance.permissions_backend import OneQueryModelBackend
from tests.factories.governance import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as the next request reads it: nothing cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def test_own_and_group_permissions_in_one_query(django_assert_num_queries):
    user = UserFactory(username="mixed")
    user.user_permissions.add(Permission.objects.get(codename="view_case"))
    group = Group.objects.create(name="两个权限")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_case", "change_caseassignment"]))
    user.groups.add(group)
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert expected == {"cases.view_case", "cases.change_caseassignment"}
    fresh = _fresh(user)
    with django_assert_num_queries(1):
        assert OneQueryModelBackend().get_all_permissions(fresh) == expected
        assert fresh.has_perm("cases.change_caseassignment") and not fresh.has_perm("cases.delete_case")


def test_superuser_inactive_and_anonymous_as_django_answers():
    from django.contrib.auth.models import AnonymousUser

    root = UserFactory(username="root", is_superuser=True)
    assert OneQueryModelBackend().get_all_permissions(_fresh(root)) == ModelBackend().get_all_permissions(_fresh(root))
    inactive = UserFactory(username="gone", is_active=False)
    inactive.user_permissions.add(Permission.objects.get(codename="view_case"))
    assert OneQueryModelBackend().get_all_permissions(_fresh(inactive)) == set()
    assert OneQueryModelBackend().get_all_permissions(AnonymousUser()) == set()
    assert OneQueryModelBackend().get_all_permissions(_fresh(root), obj=root) == set()


def test_it_is_the_backend_the_site_asks(settings):
    assert "governance.permissions_backend.OneQueryModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS
