"""A city administrator maintains users but cannot hand out superuser or raw permissions;
django-axes locks a username out after repeated failed logins."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories.governance import UserFactory


def test_city_admin_cannot_make_anyone_superuser(county, city_admin, client):
    target = UserFactory(username="target")
    client.force_login(city_admin)
    url = reverse("admin:auth_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    data = {
        "username": "target",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    target.refresh_from_db()
    assert not target.is_superuser


def test_superuser_may_grant_superuser(county, client):
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    target = UserFactory(username="target")
    page = client.get(reverse("admin:auth_user_change", args=[target.pk]))
    assert "is_superuser" in page.context["adminform"].form.fields


def test_login_is_locked_after_five_failures(county, client, settings):
    UserFactory(username="clerk")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "clerk", "password": "wrong"})
    response = client.post(url, {"username": "clerk", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.get(username="clerk").last_login is None
