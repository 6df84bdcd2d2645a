"""A client sees what its units hold, through the same ``units_for`` as a person: a county's app
sees nothing of another county, and another county's record answers 404 exactly as a missing one."""

import pytest

from tests.api.conftest import case_body, request_body
from tests.factories.cases import case_raised

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(county, hotline, item, township_item):
    case = hotline.post("/api/v1/cases/", case_body(county)).json()
    request = hotline.post("/api/v1/service-requests/", request_body(county)).json()
    return case["reference"], request["id"]


def test_another_countys_app_sees_nothing_of_this_county(records, other_county_app):
    reference, request_id = records
    missing = other_county_app.get("/api/v1/cases/2026-000000000-0009/")
    for url in (
        f"/api/v1/cases/{reference}/",
        f"/api/v1/cases/{reference}/timeline/",
        f"/api/v1/service-requests/{request_id}/",
        f"/api/v1/service-requests/{request_id}/timeline/",
    ):
        response = other_county_app.get(url)
        assert (response.status_code, response.json()) == (404, missing.json()), url
    for url in ("/api/v1/cases/", "/api/v1/service-requests/"):
        assert other_county_app.get(url).json()["results"] == []
    units = {unit["name"] for unit in other_county_app.get("/api/v1/units/", {"page_size": 1000}).json()["results"]}
    assert units == {"柳河县", "河口镇", "河口村"}


def test_its_own_county_app_sees_them(records, county_app):
    reference, request_id = records
    assert county_app.get(f"/api/v1/cases/{reference}/").status_code == 200
    assert county_app.get(f"/api/v1/service-requests/{request_id}/").status_code == 200


def test_another_countys_township_is_an_unknown_code(county, other_county_app, item, township_item):
    response = other_county_app.post("/api/v1/cases/", case_body(county, village=None))
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "township": [f"该客户端的对接单位中没有代码为“{county.township_a.code}”的单位。"]
    }
    assert other_county_app.post("/api/v1/service-requests/", request_body(county)).status_code == 400


def test_a_township_client_sees_its_township_only(county, owner, city_admin, item):
    from tests.api.conftest import caller

    township_app = caller(actor=city_admin, name="城关镇App", units=[county.township_a])
    ours = case_raised(actor=owner, township=county.township_a, item=item).case
    theirs = case_raised(
        actor=caller(actor=city_admin, name="柳林镇App", units=[county.township_b]).client.user,
        township=county.township_b,
        item=item,
    ).case
    listed = [case["reference"] for case in township_app.get("/api/v1/cases/").json()["results"]]
    assert listed == [ours.reference]
    assert township_app.get(f"/api/v1/cases/{theirs.reference}/").status_code == 404
