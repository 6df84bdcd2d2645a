"""The admin's main pages at two city sizes (issue 12): queries, median and p95 server time, the
ratio between the sizes, and the plan of each page's slowest query. Figures, not a test.

Make the cities first (``python manage.py generate_city --cases 10000`` and ``--cases 1000000``,
each in its own database), then:

    SECRET_KEY=… python bench/admin_pages.py \\
        --small postgres://postgres@127.0.0.1:5432/gov_city10k \\
        --large postgres://postgres@127.0.0.1:5432/gov_city1m [--runs 9] [--json out.json]

Each size runs in its own process (settings are read once per process), signed in as one holder of
each role of the generated city (``governance.generator.tree``), timing each page through Django's
test client: the server's time, not the network's.
"""

import argparse
import functools
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ROLES = {
    "township clerk": "g01t01_clerk",
    "township supervisor": "g01t01_secretary",
    "village clerk": "g01t01v01_clerk",
    "department officer": "g01_agriculture",
    "county centre": "g01_centre",
    "county organisation": "g01_org",
    "city admin": "g_city",
}
# A two-character word of the generated titles' matters: most Chinese search words have two
# characters, which no trigram serves (governance.text_search).
WORD = "噪音"
TARGET_MS = {"township clerk": 100, "township supervisor": 100, "village clerk": 100, "department officer": 200,
             "county centre": 200, "county organisation": 200, "city admin": 200}  # fmt: skip
# The home page twice: on an empty cache (every figure counted, as the first visit in five minutes)
# and warm (issue 13: the area's figures cached for DASHBOARD_CACHE_SECONDS).


def _pages(role: str, user) -> list[tuple[str, str]]:
    """(label, url[, posted data]) of the pages this role opens every day, with each list's filters,
    search and sorts, and (the township clerk) raising a case."""
    from cases.models import Case, CaseAssignment, ServiceRequest
    from governance.scoping import departments_near, units_for

    cases, assignments, requests = "/admin/cases/case/", "/admin/cases/caseassignment/", "/admin/cases/servicerequest/"
    township = units_for(user).filter(level="township").order_by("path").first()
    village = units_for(user).filter(level="village").order_by("path").first()
    department = departments_near(user).filter(sector="agriculture").first()
    some_case = Case.objects.for_user(user).order_by("-raised_at").first()
    some_request = ServiceRequest.objects.for_user(user).order_by("-received_at").first()
    place = (village or township).name[:3] if (village or township) else "东庄村"
    pages = [("home (figures counted)", "/admin/?cold"), ("home", "/admin/")]
    if role in ("township supervisor", "county organisation"):
        return pages
    # Every role has the case list (a department sees the cases assigned to it).
    pages += [
        ("cases", cases),
        ("cases open", f"{cases}?state__exact=open"),
        ("cases urgent", f"{cases}?priority__exact=urgent"),
        ("cases oldest first", f"{cases}?o=7"),  # o: the column's index in list_display, from 0
        ("cases search place", f"{cases}?q={place}"),
        ("cases search word", f"{cases}?q={WORD}"),
    ]
    if some_case:
        pages += [
            ("cases search reference", f"{cases}?q={some_case.reference[:13]}"),
            ("case page", f"{cases}{some_case.pk}/change/"),
        ]
    if township:
        pages.append(("cases of a township", f"{cases}?township__id__exact={township.pk}"))
    if role == "township clerk":
        pages += [("raise form", f"{cases}add/"), ("raise a case", f"{cases}add/", _raise_form(township, place))]
    if role != "village clerk":
        pages += [
            ("assignments", assignments),
            ("assignments awaiting acceptance", f"{assignments}?state__exact=assigned"),
            ("assignments overdue", f"{assignments}?due=overdue"),
            ("assignments by resolve date", f"{assignments}?o=6"),
            ("assignments search place", f"{assignments}?q={place}"),
            ("assignments search word", f"{assignments}?q={WORD}"),
        ]
        if department:
            pages.append(("assignments of a department", f"{assignments}?department__id__exact={department.pk}"))
        if CaseAssignment.objects.for_user(user).exists():
            pages.append(("scorecards", f"{assignments}scorecards/"))
    if role != "department officer":
        pages += [
            ("requests", requests),
            ("requests received", f"{requests}?state__exact=received"),
            ("requests overdue", f"{requests}?due=overdue"),
            ("requests by due date", f"{requests}?o=9"),
        ]
        if some_request:
            pages.append(("requests search applicant", f"{requests}?q={some_request.applicant_name}"))
    return pages


def _raise_form(township, place: str) -> dict:
    """What a clerk posts to raise (吹哨) a case: each run raises one more case in the bench city.
    The item's co-handling departments ticked, as the page ticks them when the item is chosen."""
    from governance.models import CoordinationItem

    item = CoordinationItem.objects.filter(active=True).order_by("pk").first()
    return {"township": township.pk, "item": item.pk, "co_sectors": item.co_sectors, "title": f"{place}路灯不亮",
            "description": "压测：路灯不亮，影响夜间出行", "priority": "normal"}  # fmt: skip


def _plan_top(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]["Plan"]
    nodes, node = [], plan
    while node is not None and len(nodes) < 4:
        relation = node.get("Relation Name") or node.get("Index Name") or ""
        nodes.append(f"{node['Node Type']}{' ' + relation if relation else ''}")
        node = (node.get("Plans") or [None])[0]
    return " > ".join(nodes)


def _rows_shown(response) -> int | None:
    """Rows on a list page: a township's filtered list holds 5 rows in the small city and a full
    page of 50 in the large one, and drawing 45 more rows costs more than any query (the ratio)."""
    changelist = (getattr(response, "context_data", None) or {}).get("cl")
    return None if changelist is None else len(changelist.result_list)


def measure(runs: int, only: str = "") -> dict:
    """In this process: every role's pages, ``runs`` times each after one warm-up."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from cases.models import Case

    setup_test_environment()
    gc.freeze()  # as each gunicorn worker does once the application is loaded (governance/gunicorn_conf.py)
    figures = {"cases": Case.objects.count(), "pages": []}
    for role, username in ROLES.items():
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, url, *posted in _pages(role, user):
            if only and not label.startswith(only):
                continue
            data = posted[0] if posted else None
            visit = functools.partial(client.post, url, data) if data else functools.partial(client.get, url)
            visit()  # warm-up: caches, connections, compiled templates
            times, sql_times, queries = [], [], []
            for _ in range(runs):
                if url.endswith("?cold"):
                    cache.clear()
                    client.force_login(user)  # the session was in that cache too (CACHE_URL: Redis)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = visit()
                    times.append((time.perf_counter() - started) * 1000)
                queries.append(captured.captured_queries)
                sql_times.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
            assert response.status_code == (302 if data else 200), f"{role} {url}: {response.status_code}"
            selects = [query for query in queries[-1] if query["sql"].lstrip().upper().startswith("SELECT")]
            slowest = max(selects, key=lambda query: float(query["time"]))
            figures["pages"].append(
                {
                    "role": role,
                    "page": label,
                    "url": url,
                    "queries": len(queries[-1]),
                    "median": statistics.median(times),
                    "p95": sorted(times)[max(0, round(0.95 * len(times)) - 1)],
                    "sql_median": statistics.median(sql_times),
                    "rows": _rows_shown(response),
                    "slowest_ms": float(slowest["time"]) * 1000,
                    "plan": _plan_top(slowest["sql"]) if connection.vendor == "postgresql" else "",
                }
            )
    return figures


def _run_size(url: str, runs: int, only: str = "") -> dict:
    # Plain HTTP inside the process, as a load balancer ending TLS would pass it on; the static files
    # collected as production serves them (hashed names, bench/out/static).
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": "600",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(ROOT / "bench" / "out" / "static"),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    output = subprocess.run(
        [sys.executable, __file__, "--measure", "--runs", str(runs), "--only", only],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


def _report(small: dict, large: dict) -> None:
    """One line a page; ``rows``: rows drawn small/large, ``sql``: median milliseconds in the
    database small/large (1 ms resolution), which together tell the table's growth from the page's."""
    print(f"cases: small {small['cases']:,}, large {large['cases']:,}")
    header = (
        f"{'role':<19} {'page':<33} {'q':>3} {'small p50/p95':>14} {'large p50/p95':>15} {'ratio':>6} "
        f"{'rows':>6} {'sql':>6} target  plan of the slowest query"
    )
    print(header)
    print("-" * len(header))
    index = {(page["role"], page["page"]): page for page in small["pages"]}
    missed, ratios = 0, []
    for page in large["pages"]:
        before = index.get((page["role"], page["page"]))
        ratio = page["median"] / before["median"] if before else float("nan")
        ok = page["p95"] <= TARGET_MS[page["role"]]
        missed += not ok
        if before:
            ratios.append((ratio, before.get("rows") == page.get("rows")))
        small_text = f"{before['median']:.0f}/{before['p95']:.0f}" if before else "-"
        rows = f"{before.get('rows')}/{page.get('rows')}" if before and page.get("rows") is not None else ""
        sql = f"{before['sql_median']:.0f}/{page['sql_median']:.0f}" if before else ""
        print(
            f"{page['role']:<19} {page['page']:<33} {page['queries']:>3} {small_text:>14} "
            f"{page['median']:>7.0f}/{page['p95']:<7.0f} {ratio:>6.2f} {rows:>6} {sql:>6} "
            f"{'ok' if ok else 'MISS':<7} {page['plan']}"
        )
    print(f"\n{len(large['pages']) - missed} of {len(large['pages'])} pages within their p95 target")
    same_rows = [ratio for ratio, same in ratios if same]
    print(
        f"ratio large/small under 1.5 on {sum(ratio < 1.5 for ratio, _ in ratios)} of {len(ratios)} pages; "
        f"on {sum(ratio < 1.5 for ratio in same_rows)} of the {len(same_rows)} that draw as many rows at both sizes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", help="DATABASE_URL of the small city")
    parser.add_argument("--large", help="DATABASE_URL of the large city")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--only", default="", help="only the pages whose label starts with this (e.g. home)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(args.runs, args.only)))
        return
    if not (args.small and args.large):
        parser.error("--small and --large are required")
    small, large = _run_size(args.small, args.runs, args.only), _run_size(args.large, args.runs, args.only)
    _report(small, large)
    if args.json:
        Path(args.json).write_text(json.dumps({"small": small, "large": large}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
