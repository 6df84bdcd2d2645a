"""The admin's password change counts wrong current passwords as failed logins (issue 11.10): the
same count and lockout as the login page; once locked the change is refused, the user signed out
and told so in Chinese."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories.governance import UserFactory

CHANGE = "/admin/password_change/"
NEW = "Changed-2026-pass"


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk")


@pytest.fixture
def signed_in(client, clerk):
    assert client.post(reverse("admin:login"), {"username": "clerk", "password": "pw"}).status_code == 302
    return client


def _change(client, old):
    return client.post(CHANGE, {"old_password": old, "new_password1": NEW, "new_password2": NEW})


def _failures() -> int:
    return sum(AccessAttempt.objects.filter(username="clerk").values_list("failures_since_start", flat=True))


def test_a_wrong_current_password_is_counted_as_a_failed_login(signed_in, clerk):
    response = _change(signed_in, "a-guess")
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert _failures() == 1
    clerk.refresh_from_db()
    assert clerk.check_password("pw")


def test_the_failure_that_reaches_the_limit_signs_out_and_refuses(signed_in, clerk, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("admin:login"), {"username": "clerk", "password": "wrong"})
    response = _change(signed_in, "a-guess")
    assert response.status_code == 429
    page = response.content.decode()
    assert "密码错误次数过多" in page and "您的密码未修改，您已退出登录" in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302  # to the login page


def test_once_locked_even_the_right_password_changes_nothing(signed_in, clerk, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _change(client, "a-guess")
    client.force_login(clerk)  # a session the lockout has not ended (e.g. another browser)
    response = _change(client, "pw")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    clerk.refresh_from_db()
    assert clerk.check_password("pw") and not clerk.check_password(NEW)


def test_the_right_password_still_changes_it(signed_in, clerk):
    response = _change(signed_in, "pw")
    assert response.status_code == 302 and response["Location"] == reverse("admin:password_change_done")
    clerk.refresh_from_db()
    assert clerk.check_password(NEW)


def test_the_form_is_the_admins_in_chinese(signed_in):
    page = signed_in.get(CHANGE).content.decode()
    assert "党建统领基层治理平台" in page and "修改密码" in page


def test_the_login_lockout_page_is_chinese(clerk, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "clerk", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "clerk", "password": "pw"})
    assert response.status_code == 429 and "锁定 1 小时" in response.content.decode()


def test_the_lockout_page_speaks_english_too(clerk, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "clerk", "password": "wrong"})
    credentials = {"username": "clerk", "password": "pw"}
    response = client.post(reverse("admin:login"), credentials, headers={"accept-language": "en"})
    assert "it is locked for 1 hour." in response.content.decode()
