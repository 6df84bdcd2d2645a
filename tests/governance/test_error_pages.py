"""Error pages people can use (issue 9): in Chinese, in the admin's look, saying what happened and
linking back; the 500 page drawn without touching the request's user or the database."""

import pytest
from django.test import Client
from django.urls import reverse

from governance.errors import server_error


def test_a_page_the_user_may_not_open_is_a_chinese_403_with_links_back(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:auth_user_changelist"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "您没有打开此页面的权限" in page
    assert "党建统领基层治理平台" in page  # the admin's header, not a bare "403 Forbidden"
    assert 'href="/admin/auth/user/"' in page and "返回列表" in page
    assert "返回首页" in page


def test_a_missing_page_is_a_chinese_404(client, owner):
    client.force_login(owner)
    response = client.get("/admin/cases/case/999999/history/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "不在您所负责单位的范围内" in page and 'href="/admin/cases/case/"' in page


def test_an_unknown_address_is_a_404_linking_home(client, owner):
    client.force_login(owner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "返回首页" in response.content.decode() and "返回列表" not in response.content.decode()


def test_an_expired_form_is_a_chinese_403_not_the_csrf_debug_page(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("admin:cases_case_add"), {"title": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.django_db
def test_the_500_page_needs_no_database(rf, django_assert_num_queries):
    request = rf.get("/admin/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "服务器错误（500）" in response.content.decode()
