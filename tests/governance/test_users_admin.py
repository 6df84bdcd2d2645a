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


def test_a_city_administrator_cannot_reach_the_superuser_at_any_door(county, city_admin, client):
    """Issue 11: POST …/password/ as city_admin once set the superuser's password."""
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    root.set_password("the-real-one")
    root.save()
    client.force_login(city_admin)
    assert root not in client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    for view in ("change", "history", "delete", "password_change"):
        url = reverse(f"admin:auth_user_{view}", args=[root.pk])
        assert client.get(url).status_code in (302, 403, 404), view  # refused, never the form
    client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Taken-over-2026", "password2": "Taken-over-2026", "usable_password": "true"},
    )
    client.post(
        reverse("admin:auth_user_change", args=[root.pk]),
        {"username": "renamed", "is_active": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"},
    )
    root.refresh_from_db()
    assert root.check_password("the-real-one") and root.username == "root" and root.is_active
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "governance", "model_name": "roleassignment", "field_name": "user", "term": "root"},
    )
    assert autocomplete.json()["results"] == []


def test_a_city_administrator_cannot_change_another_one_nor_their_own_account_here(county, city_admin, client):
    from governance.access import role_assign
    from governance.roles import Role

    peer = UserFactory(username="peer")
    role_assign(user=peer, unit=county.city, role=Role.CITY_ADMIN)
    clerk = UserFactory(username="clerk")
    client.force_login(city_admin)
    listed = set(client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list)
    assert clerk in listed and peer not in listed and city_admin not in listed
    assert client.get(reverse("admin:auth_user_password_change", args=[peer.pk])).status_code == 404
    assert client.get(reverse("admin:auth_user_password_change", args=[clerk.pk])).status_code == 200


def test_the_superuser_manages_everyone(county, city_admin, client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    listed = set(client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list)
    assert {root, city_admin} <= listed
