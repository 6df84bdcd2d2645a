"""API clients beside the shared county (tests/conftest.py): the 12345 hotline acting for the whole
city, the county's own app, and the app of another county, with the people who work the cases."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone
from rest_framework.test import APIClient

from governance.api.clients import api_client_register
from governance.api.models import ApiClient
from governance.roles import Capability
from tests.factories.cases import CoordinationItemFactory, ServiceItemFactory
from tests.factories.governance import CountyFactory, TownshipFactory, VillageFactory

ALL = [Capability.SEE_RECORDS, Capability.RAISE_CASE, Capability.LOG_SERVICE_REQUEST, Capability.VIEW_PERSONAL_INFO]
ID_NUMBER = "11010519491231002X"  # GB 11643's own example, valid check digit
PHONE = "13812345678"


@dataclass
class Caller:
    client: ApiClient
    token: str
    webhook_secret: str
    http: APIClient

    def get(self, url, data=None, **headers):
        return self.http.get(url, data, **headers)

    def post(self, url, data=None, *, format="json", **headers):
        return self.http.post(url, data, format=format, **headers)


def caller(*, actor, name, units, capabilities=ALL, webhook_url="", rate_limit="") -> Caller:
    issued = api_client_register(
        actor=actor,
        name=name,
        units=units,
        capabilities=capabilities,
        token_expires_at=timezone.now() + timedelta(days=30),
        webhook_url=webhook_url,
        rate_limit=rate_limit,
    )
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.token}")
    return Caller(issued.client, issued.token, issued.webhook_secret, http)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Throttle counts live in the process's cache: each test starts with none."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def hotline(county, city_admin):
    return caller(actor=city_admin, name="12345热线", units=[county.city], webhook_url="http://127.0.0.1:9/hook")


@pytest.fixture
def county_app(county, city_admin):
    return caller(actor=city_admin, name="清河县App", units=[county.county])


@pytest.fixture
def other_county(county):
    county_b = CountyFactory(parent=county.city, name="柳河县")
    township = TownshipFactory(parent=county_b, name="河口镇")
    VillageFactory(parent=township, name="河口村")
    return county_b


@pytest.fixture
def other_county_app(other_county, city_admin):
    return caller(actor=city_admin, name="柳河县App", units=[other_county])


@pytest.fixture
def item(db):
    """Lead: agriculture; the catalogue also names housing as a co-handling sector."""
    return CoordinationItemFactory(code="XT-001", name="农田水利设施损毁修复")


@pytest.fixture
def township_item(db):
    from governance.models import HandlingMode, ServiceLevel

    return ServiceItemFactory(
        code="FW-001", name="城乡居民养老保险参保登记", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP
    )


def case_body(county, **changes) -> dict:
    body = {
        "ticket": "12345-20261201-0001",
        "township": county.township_a.code,
        "village": county.village_a.code,
        "item": "XT-001",
        "title": "东关村排水沟堵塞",
        "description": "市民来电：雨后积水严重。",
        "priority": "normal",
        "co_sectors": ["housing_construction"],
    }
    body.update(changes)
    return body


def request_body(county, **changes) -> dict:
    body = {
        "ticket": "12345-20261201-0002",
        "desk": county.township_a.code,
        "item": "FW-001",
        "applicant_name": "王小明",
        "id_number": ID_NUMBER,
        "phone": PHONE,
    }
    body.update(changes)
    return body
