"""Server errors reach a log, and ADMINS' mail, with the request's id (issue 11.8 and 11.10: with
DEBUG off there was no LOGGING, so no 500 was logged anywhere)."""

import io
import logging

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from governance import urls as project_urls
from governance.request_ids import HEADER
from tests.governance.fresh_start import settings_under, start

ID_NUMBER = "410102198507150036"


def failing(request):
    raise RuntimeError("the case register is on fire")


def noting(request):
    logging.getLogger("governance.somewhere").warning("a note from inside the request")
    return HttpResponse("ok")


# The project's pages and error pages, and two of this test's.
urlpatterns = [path("failing/", failing), path("noting/", noting), *project_urls.urlpatterns]
handler400, handler500 = project_urls.handler400, project_urls.handler500
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def stderr():
    """What the configured stderr handler writes (settings.LOGGING: its filter and format)."""
    (handler,) = [handler for handler in logging.getLogger().handlers if handler.name == "stderr"]
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_server_error_is_logged_to_stderr_with_its_request_id_and_traceback(client, stderr):
    response = client.get("/failing/", headers={HEADER: "lb-7f3a9c"})
    assert response.status_code == 500 and response[HEADER] == "lb-7f3a9c"
    log = stderr.getvalue()
    assert "ERROR [lb-7f3a9c 127.0.0.1] django.request: Internal Server Error: /failing/" in log
    assert "Traceback (most recent call last)" in log and "RuntimeError: the case register is on fire" in log


def test_every_line_of_a_request_carries_its_id_and_a_made_one_when_none_came(client, stderr):
    response = client.get("/noting/")
    made = response[HEADER]
    assert len(made) == 32
    assert f"WARNING [{made} 127.0.0.1] governance.somewhere: a note from inside the request" in stderr.getvalue()


def test_a_request_id_that_could_forge_log_lines_is_replaced(client, stderr):
    response = client.get("/noting/", headers={HEADER: "x\n2026-12-01 ERROR forged"})
    assert response[HEADER] != "x" and "forged" not in stderr.getvalue()


def test_a_not_found_logged_after_the_middleware_still_names_its_request(client, stderr):
    response = client.get("/nowhere/", headers={HEADER: "lb-404"})
    assert response.status_code == 404
    assert "WARNING [lb-404 127.0.0.1] django.request: Not Found: /nowhere/" in stderr.getvalue()


def test_with_admins_set_a_server_error_is_mailed_without_posted_values(client, settings, stderr):
    settings.ADMINS = [("张三", "zhang@example.cn")]
    client.post("/failing/", {"id_number": ID_NUMBER}, headers={HEADER: "lb-mail"})
    (message,) = mail.outbox
    assert message.to == ["zhang@example.cn"]
    assert "ERROR [lb-mail 127.0.0.1] django.request: Internal Server Error: /failing/" in message.body
    assert "Traceback" in message.body and "the case register is on fire" in message.body
    assert "id_number" in message.body and ID_NUMBER not in message.body


def test_without_admins_nothing_is_mailed(client, settings, stderr):
    settings.ADMINS = []
    client.get("/failing/")
    assert mail.outbox == []


def test_a_host_we_do_not_serve_is_a_400_page_logged_and_not_mailed(client, settings, stderr):
    """Scanners probe by address all day; the 400 page once failed without a user and became a 500."""
    settings.ADMINS = [("张三", "zhang@example.cn")]
    response = client.get("/admin/", headers={"host": "203.0.113.50", HEADER: "lb-scan"})
    assert response.status_code == 400 and "党建统领基层治理平台" in response.content.decode()
    assert "ERROR [lb-scan 127.0.0.1] django.security.DisallowedHost: Invalid HTTP_HOST header" in stderr.getvalue()
    assert mail.outbox == []


def test_admins_and_the_mail_server_come_from_the_environment():
    env = {"ADMINS": "张三 <zhang@example.cn>,li@example.cn", "EMAIL_HOST": "smtp.example.cn", "EMAIL_PORT": "465"}
    values = settings_under(env | {"EMAIL_USE_SSL": "1"}, "ADMINS", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_SSL")
    assert values == {
        "ADMINS": [["张三", "zhang@example.cn"], ["", "li@example.cn"]],
        "EMAIL_HOST": "smtp.example.cn",
        "EMAIL_PORT": 465,
        "EMAIL_USE_SSL": True,
    }
    refused = start(env | {"EMAIL_USE_SSL": "1", "EMAIL_USE_TLS": "1"})
    assert refused.returncode != 0 and "not both" in refused.stderr
