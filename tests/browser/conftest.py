"""Browser journeys: the demo city behind a live server, driven in headless Chromium (issue 9).

A test that posts to a URL proves the service; only a browser proves the screen (a form nested in
a form once turned the main buttons into posts to a read-only page while every test passed).

- The demo city is loaded once for this package, committed (the live server's thread has its own
  database connection), and flushed away when the package ends, so later tests start empty.
  Each test runs in the usual rolled-back transaction (``pytest.mark.django_db``), which only
  reads: PostgreSQL shows it what the server commits. A journey that needs records of its own
  makes them in a module-scoped fixture (``committed``), outside that transaction.
- The journeys need Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright, never a
  downloaded browser) and PostgreSQL (CI's first run); elsewhere they skip and say why. With
  ``CI=true`` a missing browser fails the run instead.
- Screenshots of each journey's key screens go to ``test-artifacts/browser/`` (``TEST_ARTIFACTS``).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings, override_settings

from governance import demo as governance_demo
from tests.conftest import FAST_HASHERS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# As root in a container Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")) / "browser"
VIEWPORT = {"width": 1366, "height": 768}  # the county offices' usual screen


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the browser journeys cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser_city(django_db_setup, django_db_blocker):
    """The demo city, committed, for every test of this package; flushed before and after."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("flush", interactive=False, verbosity=0)  # a reused database may hold an interrupted run's city
        with transaction.atomic():
            city = governance_demo.load_city()
        yield city
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="package")
def demo_city(browser_city):
    """The package's city (not the module-scoped one of tests/conftest.py: one load for all journeys)."""
    return browser_city


@pytest.fixture(scope="module")
def committed(demo_city, django_db_blocker):
    """Unblocks the database for a module-scoped fixture whose records the live server must see."""
    with django_db_blocker.unblock():
        yield demo_city


@pytest.fixture(scope="package")
def live_url(demo_city, tmp_path_factory):
    uploads = tmp_path_factory.mktemp("media")
    with modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"}), override_settings(MEDIA_ROOT=uploads):
        from django.contrib.staticfiles.handlers import StaticFilesHandler

        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
        server.terminate()


@pytest.fixture(scope="package")
def browser():
    if connection.vendor != "postgresql":  # CI runs them in its PostgreSQL run; not a missing browser
        pytest.skip("the browser journeys run on PostgreSQL: DATABASE_URL=postgres://… pytest (see README)")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -r requirements-dev.txt")
    # Playwright's synchronous API keeps an event loop in this thread; the test's own ORM calls
    # (setting up data, reading results) are plain synchronous code all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def album(request):
    """Where this test's screenshots go, numbered in the order they were taken."""
    from tests.browser.pages import Album

    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Album(folder)


@pytest.fixture
def open_as(browser, live_url, album):
    """``open_as("cg_clerk")``: a signed-in page of its own for a demo user, in Chinese at 1366×768."""
    from tests.browser.pages import Desk

    contexts = []

    def opener(username: str) -> "Desk":
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        desk = Desk(context.new_page(), live_url, album, username)
        desk.sign_in()
        return desk

    yield opener
    for context in contexts:
        context.close()
