"""A bounded load on gunicorn + PostgreSQL (issue 12): 50 clerks, officers and county centres at
work for 5 minutes on a generated city. Figures, not a test.

    python -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install -r bench/requirements.txt
    # the application, on the large city, as in production (README "In production"):
    DATABASE_URL=postgres://…/gov_city1m CACHE_URL=redis://127.0.0.1:6379/4 SECRET_KEY=… \\
        SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 ALLOWED_HOSTS=127.0.0.1 \\
        gunicorn -c python:governance.gunicorn_conf -b 127.0.0.1:8100 governance.wsgi
    DATABASE_URL=postgres://…/gov_city1m SECRET_KEY=… python bench/load.py \\
        --locust /tmp/bench-venv/bin/locust --host http://127.0.0.1:8100 [--users 50 --minutes 5 --spawn-rate 1]

Prints requests per second, the p95 and the errors, per page and in all.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def people() -> dict:
    """Who may be played, from the generated city (governance.generator.tree), and the raise's ids."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from governance.models import CoordinationItem
    from governance.scoping import units_for

    users = get_user_model().objects.filter(username__startswith="g")
    clerks = []
    for user in users.filter(username__regex=r"^g\d+t\d+_clerk$"):
        township = units_for(user).filter(level="township").first()
        village = units_for(user).filter(level="village").first()
        clerks.append({"username": user.username, "township": township.pk, "place": village.name[:3]})
    return {
        "clerk": clerks,
        "officer": [
            {"username": u}
            for u in users.filter(username__regex=r"^g\d+_(agriculture|housing_construction)$").values_list(
                "username", flat=True
            )
        ],
        "centre": [
            {"username": u} for u in users.filter(username__regex=r"^g\d+_centre$").values_list("username", flat=True)
        ],
        # Each item with its co-handling departments, which the raise page ticks when the item is chosen.
        "items": [
            {"pk": pk, "co_sectors": co_sectors}
            for pk, co_sectors in CoordinationItem.objects.filter(active=True).values_list("pk", "co_sectors")
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locust", required=True, help="the locust executable (bench/requirements.txt)")
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    # People arrive one a second, as a morning's sign-ins do; each sign-in costs most of a second of
    # a core (PBKDF2, Django's 1,000,000 rounds), so fifty at once would be a test of the hasher.
    parser.add_argument("--spawn-rate", type=float, default=1, help="people who start per second")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="load-"))
    (scratch / "people.json").write_text(json.dumps(people(), ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [args.locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", args.host,
         "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(args.minutes * 60)}s",
         "--csv", str(scratch / "load"), "--only-summary"],
        env={**os.environ, "LOAD_PEOPLE": str(scratch / "people.json")}, check=False,
    )  # fmt: skip
    with open(scratch / "load_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\n{'page':<28} {'requests':>9} {'errors':>7} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<28} {row['Request Count']:>9} {row['Failure Count']:>7} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return 0 if total["Failure Count"] == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
