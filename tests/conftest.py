"""Shared fixtures: a small county and the owner / colleague / outsider triple (STYLE.md).

- ``owner``: the clerk of township A; ``colleague``: the supervisor of township A;
- ``outsider``: the clerk of the neighbouring township B in the same county.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import override_settings

from governance.access import role_assign
from governance.models import Sector, Unit
from governance.roles import Role
from tests.factories.governance import (
    CityFactory,
    CountyFactory,
    DepartmentFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)


@dataclass
class County:
    city: Unit
    county: Unit
    township_a: Unit
    village_a: Unit
    township_b: Unit
    village_b: Unit
    agriculture: Unit
    housing: Unit


# Static files by their plain names in tests: the hashed names of production (WhiteNoise's manifest)
# exist only after collectstatic, which tests/governance/test_static_files.py runs on its own.
PLAIN_STATIC_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# Tests speak plain HTTP; with DEBUG off (the PostgreSQL run) SSL redirect defaults on. The tests of
# HTTPS behaviour (tests/governance/test_https.py) turn it back on.
@pytest.fixture(autouse=True, scope="session")
def plain_static_files_over_http():
    with override_settings(STORAGES=PLAIN_STATIC_STORAGES, SECURE_SSL_REDIRECT=False):
        yield


# PBKDF2's million rounds cost ~0.3 s a user; tests only need passwords that check.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def empty_cache():
    """The home page keeps its figures in the cache (issue 13): each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def lists_read_the_primary(request, settings):
    """CI configures the read replica (a mirror of the primary in tests); a test reads it only when
    its django_db mark names it (tests/governance/test_replica.py), as Django requires."""
    marker = request.node.get_closest_marker("django_db")
    if "replica" not in ((marker.kwargs.get("databases") if marker else None) or ()):
        settings.DATABASE_REPLICA_READS = False


@pytest.fixture
def county(db) -> County:
    city = CityFactory()
    county = CountyFactory(parent=city, name="清河县", code="419921000000")
    township_a = TownshipFactory(parent=county, name="城关镇", code="419921100000")
    township_b = TownshipFactory(parent=county, name="柳林镇", code="419921101000")
    return County(
        city=city,
        county=county,
        township_a=township_a,
        village_a=VillageFactory(parent=township_a, name="东关村", code="419921100001"),
        township_b=township_b,
        village_b=VillageFactory(parent=township_b, name="柳林村", code="419921101001"),
        agriculture=DepartmentFactory(parent=county, sector=Sector.AGRICULTURE, name="清河县农业农村局"),
        housing=DepartmentFactory(parent=county, sector=Sector.HOUSING_CONSTRUCTION, name="清河县住建局"),
    )


def user_with_role(username: str, role: str, unit: Unit):
    user = UserFactory(username=username)
    role_assign(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def owner(county):
    return user_with_role("owner", Role.TOWNSHIP_CLERK, county.township_a)


@pytest.fixture
def colleague(county):
    return user_with_role("colleague", Role.TOWNSHIP_SUPERVISOR, county.township_a)


@pytest.fixture
def outsider(county):
    return user_with_role("outsider", Role.TOWNSHIP_CLERK, county.township_b)


@pytest.fixture
def city_admin(county):
    return user_with_role("city_admin", Role.CITY_ADMIN, county.city)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The whole demo city once for a module, committed, flushed away afterwards (so the next
    module starts empty); tests read it inside their usual rolled-back transaction."""
    from django.core.management import call_command

    from governance.demo import load_city

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("flush", interactive=False, verbosity=0)  # a reused database may hold an interrupted run's
        city = load_city()
        yield city
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (see README)")
