"""Requests per second of the intake API, printed as figures (issue 17; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gov_api \
    SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))') \
        python bench/api_bench.py [--creates 300] [--cases 3000] [--threads 1 2 4]

On a fresh throw-away database (``test_<name>``, created and dropped here): a small city (two
counties, ten townships each with villages and departments), the hotline registered as an API
client for the whole city. Each call goes through the whole Django stack in-process (middleware,
token check, rate limit, scoping, the service, the call log row), through the WSGI handler of
Django's test client, without a network or a web server in front:

1. create a service request (POST /api/v1/service-requests/, with a ticket and an Idempotency-Key);
2. raise a case for two departments (POST /api/v1/cases/, ditto);
3. list the cases changed since a moment, 50 a page, following the cursor (GET /api/v1/cases/),
   with ``--cases`` cases in the database;
4. the same for service requests.

Each is run by 1, 2, … threads at once (``--threads``), each thread on its own connection, as
that many worker processes behind a load balancer would; the machine has 2 cores.
"""

import argparse
import os
import sys
import threading
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
os.environ["API_RATE_LIMIT"] = "1000000/s"  # measure the API, not its limit
# Django's test client speaks plain HTTP to "testserver"; production's HTTPS redirect is the balancer's business.
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "0"
warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise before collectstatic


def setup_database():
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    from django.utils import timezone

    from governance.access import role_assign
    from governance.api.clients import api_client_register
    from governance.api.models import API_CAPABILITIES
    from governance.models import HandlingMode, Sector, ServiceLevel
    from governance.roles import Role
    from tests.factories.cases import CoordinationItemFactory, ServiceItemFactory
    from tests.factories.governance import (
        CityFactory,
        CountyFactory,
        DepartmentFactory,
        TownshipFactory,
        UserFactory,
        VillageFactory,
    )

    city = CityFactory()
    townships = []
    for county_code in ("419921000000", "419971000000"):
        county = CountyFactory(parent=city, code=county_code)
        for sector in (Sector.AGRICULTURE, Sector.HOUSING_CONSTRUCTION):
            DepartmentFactory(parent=county, sector=sector)
        for n in range(10):
            township = TownshipFactory(parent=county, code=f"{county_code[:6]}{100 + n:03d}000")
            VillageFactory(parent=township, code=f"{township.code[:9]}001")
            townships.append(township.code)
    CoordinationItemFactory(code="XT-001")
    ServiceItemFactory(code="FW-001", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP)
    admin = UserFactory(username="bench_admin")
    role_assign(user=admin, unit=city, role=Role.CITY_ADMIN)
    issued = api_client_register(
        actor=admin,
        name="12345热线",
        units=[city],
        capabilities=[value for value, _label in API_CAPABILITIES],
        token_expires_at=timezone.now() + timedelta(days=1),
    )
    return connection, issued.token, townships


def http_client(token):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/json")


def case_body(n: int, townships: list[str]) -> dict:
    return {
        "ticket": f"12345-{n:07d}",
        "township": townships[n % len(townships)],
        "item": "XT-001",
        "title": f"市民来电 {n}：排水沟堵塞",
        "description": "雨后积水严重，需农业农村和住建部门联合处置。",
        "co_sectors": ["housing_construction"],
    }


def request_body(n: int, townships: list[str]) -> dict:
    return {
        "ticket": f"12345-R{n:07d}",
        "desk": townships[n % len(townships)],
        "item": "FW-001",
        "applicant_name": "王小明",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
    }


def run_threads(threads: int, calls: int, call) -> float:
    """``calls`` calls of ``call(client, n)`` shared by ``threads`` threads; requests per second."""
    from django.db import connection

    errors = []
    barrier = threading.Barrier(threads + 1)

    def work(offset):
        try:
            barrier.wait()
            for n in range(offset, calls, threads):
                call(n)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(offset,)) for offset in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return calls / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--creates", type=int, default=300, help="creates of each kind per thread count")
    parser.add_argument("--cases", type=int, default=3000, help="cases in the database while listing")
    parser.add_argument("--lists", type=int, default=300, help="list pages fetched per thread count")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4])
    options = parser.parse_args()

    connection, token, townships = setup_database()
    try:
        from django.utils import timezone

        from cases.models import Case, ServiceRequest

        started_at = timezone.now() - timedelta(seconds=1)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"database: {connection.vendor} · CPUs: {os.cpu_count()} · load average before: {load} · in-process WSGI")
        counter = iter(range(10**9))
        lock = threading.Lock()

        def next_n():
            with lock:
                return next(counter)

        def create(kind):
            url, body = {
                "case": ("/api/v1/cases/", case_body),
                "request": ("/api/v1/service-requests/", request_body),
            }[kind]

            def call(_n):
                n = next_n()
                response = http_client(token).post(
                    url, body(n, townships), content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"{kind}-{n}"
                )
                assert response.status_code == 201, response.content[:300]

            return call

        for kind, label in (("request", "create service request"), ("case", "raise case (2 departments)")):
            for threads in options.threads:
                rate = run_threads(threads, options.creates, create(kind))
                print(f"{label:<32} threads={threads}: {rate:7.1f} requests/s")

        # Pad the cases to --cases for the lists (through the API too, one thread).
        missing = max(0, options.cases - Case.objects.count())
        run_threads(2, missing, create("case"))
        counts = f"{Case.objects.count():,} cases, {ServiceRequest.objects.count():,} service requests"
        print(f"listing with {counts} in the database, changed since the start, 50 a page")

        def lister(url):
            def call(_n):
                response = http_client(token).get(url, {"changed_since": started_at.isoformat(), "page_size": 50})
                assert response.status_code == 200 and len(response.json()["results"]) == 50, response.content[:300]

            return call

        for url, label in (
            ("/api/v1/cases/", "list cases changed since"),
            ("/api/v1/service-requests/", "list requests changed since"),
        ):
            for threads in options.threads:
                rate = run_threads(threads, options.lists, lister(url))
                print(f"{label:<32} threads={threads}: {rate:7.1f} requests/s")

        # Walking the whole feed by its cursor, as a poller catching up does.
        client = http_client(token)
        pages, begun = 0, time.perf_counter()
        response = client.get("/api/v1/cases/", {"changed_since": started_at.isoformat(), "page_size": 50})
        while True:
            pages += 1
            following = response.json()["next"]
            if not following:
                break
            response = client.get(following)
        elapsed = time.perf_counter() - begun
        print(f"{'walk every page by cursor':<32} threads=1: {pages / elapsed:7.1f} requests/s ({pages} pages)")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
