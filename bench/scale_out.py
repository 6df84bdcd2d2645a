"""Scale-out shown on one machine (issue 12, DESIGN.md §5): two app processes on two ports that share
nothing but PostgreSQL, Redis and the media folder, one Celery worker and Celery beat. It checks:

1. a login on one process is valid on the other (sessions in Redis);
2. a spreadsheet import queued from one process is finished by the worker and seen from the other;
3. beat fires the overdue sweep on the worker (an assignment past its due is marked);
4. beat has the worker count the home-page figures of those signed in (removed from Redis, they come
   back with nobody visiting).

    SECRET_KEY=… python bench/scale_out.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

It makes a throwaway database (``gov_scale_out``) and drops it afterwards; exit status 0 when all
of them hold. Redis databases 4 (cache, sessions) and 5 (broker) are used.
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
PORTS = (8101, 8102)
DATABASE = "gov_scale_out"
PASSWORD = "Demo-2026-pass"


def _environment(server_url: str, scratch: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{server_url.rsplit('/', 1)[0]}/{DATABASE}",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, as behind a balancer ending TLS
        "SECURE_COOKIES": "0",
        "CACHE_URL": "redis://127.0.0.1:6379/4",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/5",
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "SWEEP_INTERVAL_SECONDS": "3",
        "DASHBOARD_REFRESH_SECONDS": "3",
        "IMPORT_BACKGROUND_ROWS": "5",
        "GUNICORN_WORKERS": "2",
    }


def _manage(env, *args, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _sql(server_url: str, statement: str) -> None:
    subprocess.run(["psql", server_url, "-qc", statement], check=True, capture_output=True)


# An assignment whose acceptance fell due an hour ago and that nobody has swept yet.
PAST_DUE_CASE = """
from datetime import timedelta
from django.utils import timezone
from cases.models import CaseAssignment
from cases.raising import case_raise
from governance.models import CoordinationItem, Unit
from django.contrib.auth import get_user_model
clerk = get_user_model().objects.get(username="cg_clerk")
raised = case_raise(
    actor=clerk, township=Unit.objects.get(name="城关镇"), item=CoordinationItem.objects.get(code="XT-001"),
    title="扩容检查：待扫描的逾期交办", description="scale-out check", priority="normal",
    now=timezone.now() - timedelta(days=30),
)
CaseAssignment.objects.filter(case=raised.case).update(overdue=False)
print("ASSIGNMENT", raised.assignments[0].pk)
"""
ASSIGNMENT_OVERDUE = (
    'from cases.models import CaseAssignment; print("OVERDUE", CaseAssignment.objects.get(pk={pk}).overdue)'
)


class Browser:
    """A person's browser: cookies and the CSRF token, over plain HTTP."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def post(self, url: str, fields: dict, files: dict | None = None) -> str:
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        fields = {**fields, "csrfmiddlewaretoken": token}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, "Referer": url})
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _sign_in(browser: Browser, port: int, username: str) -> None:
    base = f"http://127.0.0.1:{port}"
    browser.get(f"{base}/admin/login/")
    browser.post(f"{base}/admin/login/?next=/admin/", {"username": username, "password": PASSWORD, "next": "/admin/"})


def _wait(check, seconds: float, every: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    server_url = parser.parse_args().database_url
    scratch = Path(tempfile.mkdtemp(prefix="scale-out-"))
    env = _environment(server_url, scratch)
    _sql(server_url, f"DROP DATABASE IF EXISTS {DATABASE}")
    _sql(server_url, f"CREATE DATABASE {DATABASE}")
    processes = []
    try:
        print("preparing: migrate, demo city, static files, a case past its dues")
        _manage(env, "demo", "--no-serve")
        _manage(env, "collectstatic", "--noinput", "-v0")
        assignment = re.search(r"ASSIGNMENT (\d+)", _manage(env, "shell", stdin=PAST_DUE_CASE)).group(1)
        for port in PORTS:
            processes.append(_start(env, scratch, f"app-{port}", "gunicorn", "-c", "python:governance.gunicorn_conf",
                                    "-b", f"127.0.0.1:{port}", "governance.wsgi"))  # fmt: skip
        processes.append(
            _start(env, scratch, "worker", "celery", "-A", "governance", "worker", "--pool=solo", "-l", "info")
        )
        processes.append(_start(env, scratch, "beat", "celery", "-A", "governance", "beat", "-l", "info",
                                "-s", str(scratch / "beat-schedule")))  # fmt: skip
        up = _wait(lambda: all(_answers(port) for port in PORTS), 60)
        results = {"two app processes answer": up}
        results["a login on one is valid on the other"] = up and _shared_login()
        results["an import queued from one is finished by the worker, seen from the other"] = up and _queued_import()
        results["beat fires the sweep on the worker"] = _wait(
            lambda: "OVERDUE True" in _manage(env, "shell", "-c", ASSIGNMENT_OVERDUE.format(pk=assignment)), 60, 3
        )
        results["beat has the worker count the home figures of those signed in"] = _figures_refreshed()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        _sql(server_url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    for check, held in results.items():
        print(f"{'ok  ' if held else 'FAIL'} {check}")
    print(f"logs: {scratch}")
    return 0 if all(results.values()) else 1


def _figures_refreshed() -> bool:
    """The clerk signed in above; with their home page's figures removed from the cache and nobody
    visiting, beat's refresh puts them back (governance.dashboard_refresh)."""
    cache = redis.Redis.from_url("redis://127.0.0.1:6379/4")
    for key in cache.scan_iter("*dashboard:*"):
        cache.delete(key)
    return _wait(lambda: any(True for _key in cache.scan_iter("*dashboard:*")), 60, 3)


def _start(env, scratch: Path, name: str, *command) -> subprocess.Popen:
    log = open(scratch / f"{name}.log", "w")  # closed with the process
    return subprocess.Popen([str(Path(sys.executable).parent / command[0]), *command[1:]], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _shared_login() -> bool:
    browser = Browser()
    _sign_in(browser, PORTS[0], "cg_clerk")
    page = browser.get(f"http://127.0.0.1:{PORTS[1]}/admin/")
    return "城关镇办事员" in page and "id_password" not in page


def _queued_import() -> bool:
    browser = Browser()
    _sign_in(browser, PORTS[0], "city_admin")
    importing = f"http://127.0.0.1:{PORTS[0]}/admin/governance/unit/import/"
    browser.get(importing)
    rows = ["单位代码,单位名称,单位类型,上级单位代码"] + [
        f"41992110{n:04d},扩容村{n},村,城关镇" for n in range(900, 920)
    ]
    page = browser.post(importing, {}, {"file": ("scale.csv", "\n".join(rows).encode())})
    job = re.search(r"/admin/governance/unit/import/(\d+)/", page)
    if not job:
        return False
    seen = f"http://127.0.0.1:{PORTS[1]}/admin/governance/unit/import/{job.group(1)}/progress/"
    return _wait(lambda: json.loads(browser.get(seen))["status"] == "done", 90, 2)


if __name__ == "__main__":
    sys.exit(main())
