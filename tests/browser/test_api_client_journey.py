"""Issue 17: the city administrator registers the 12345 hotline as an API client, copies the token
shown once, and the hotline's first call with it answers; the token appears nowhere afterwards."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CAPABILITIES = ("查看对接单位的案件和办件", "为对接单位中的乡镇发起案件（吹哨）", "在对接单位的便民服务窗口登记办件")


def test_the_city_administrator_registers_the_hotline(open_as, demo_city):
    admin = open_as("city_admin")
    admin.page.goto(f"{admin.base_url}/admin/api/apiclient/add/")
    admin.page.fill("#id_name", "12345热线（浏览器测试）")
    admin.choose("id_units", "豫中市")
    for capability in CAPABILITIES:
        admin.page.get_by_label(capability).check()
    admin.page.fill("#id_webhook_url", "https://hotline.example.cn/hook")
    admin.shot("register")
    admin.submit()

    token_box = admin.page.locator("#api-token")
    expect(token_box).to_be_visible()
    expect(admin.page.locator(".errornote")).to_contain_text("只显示这一次")
    token = token_box.input_value()
    assert admin.page.locator("#webhook-secret").input_value()
    admin.shot("token-shown-once")

    answer = admin.page.request.get(f"{admin.base_url}/api/v1/units/", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and any(unit["name"] == "城关镇" for unit in answer.json()["results"])

    admin.page.get_by_role("link", name="已复制，返回客户端").click()
    expect(admin.page.locator("#workflow-steps")).to_contain_text("签发新令牌")
    assert token not in admin.page.content()
    admin.shot("client-page")
