"""``python manage.py generate_city --cases 1000000``: a city to measure the lists by (issue 12).

Builds 豫北市 beside whatever the database holds (the demo city included): counties with their
departments, townships and villages, the county leadership posts, one holder of each role, then
the cases with their assignments and steps and the service requests, over three years up to now.
PostgreSQL writes a million cases in minutes (COPY); SQLite serves the small cities of tests.
"""

import random
import time

from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.generator import CaseWriter, RequestWriter, moments
from governance.generator.tree import CITY_NAME, build_people, build_tree, city_exists

CHUNK = 20_000  # cases (and service requests) per transaction


class Command(BaseCommand):
    help = "Generate a city of the given size beside the existing data, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--service-requests", type=int, default=None, help="default: about half the cases")
        parser.add_argument("--counties", type=int, default=10)
        parser.add_argument("--townships", type=int, default=15, help="about this many per county")
        parser.add_argument("--villages", type=int, default=20, help="about this many per township")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, cases, service_requests, counties, townships, villages, seed, **options):
        if city_exists():
            raise CommandError(f"{CITY_NAME} has been generated in this database already.")
        if cases < 0 or counties < 1 or townships < 1 or villages < 3:
            raise CommandError("Sizes must be positive (at least 3 villages per township).")
        rng, started, now = random.Random(seed), time.monotonic(), timezone.now()
        requests = service_requests if service_requests is not None else cases * 52 // 100
        with transaction.atomic():
            self._say(
                f"单位与县级领导 / units and posts: {counties} counties × ~{townships} townships × ~{villages} villages"
            )
            city = build_tree(rng, counties=counties, townships=townships, villages=villages)
            self._say("用户与角色 / users and roles")
            self._say(f"  {build_people(rng, city)} users")
        places = [
            (county, township, rng.uniform(0.4, 1.6)) for county in city.counties for township in county.townships
        ]
        written = self._generate(CaseWriter(rng, city, now), rng, places, moments(rng, cases, now), "吹哨案件 / cases")
        written |= self._generate(RequestWriter(rng, now), rng, places, moments(rng, requests, now), "办件 / requests")
        if connection.vendor == "postgresql":
            # As autovacuum leaves a table in service: statistics for the planner, and the visibility
            # map that lets the lists count and join from their indexes alone (index-only scans).
            self._say("清理与统计 / VACUUM (ANALYZE)")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        for table, count in written.items():
            self._say(f"  {table}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"{CITY_NAME} generated in {time.monotonic() - started:.0f} s."))

    def _generate(self, writer, rng, places, when, title) -> dict[str, int]:
        weights = [weight for _county, _township, weight in places]
        for start in range(0, len(when), CHUNK):
            with transaction.atomic():
                for moment in when[start : start + CHUNK]:
                    county, township, _weight = rng.choices(places, weights=weights)[0]
                    writer.tell(county, township, moment)
                for table in writer.tables():
                    table.flush()
            self._say(f"{title}: {min(start + CHUNK, len(when)):,} / {len(when):,}")
        return writer.finish()

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
