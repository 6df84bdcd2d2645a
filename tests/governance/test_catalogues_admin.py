"""Catalogue screens: the city administrator edits, every other role only views; each rule
refused with its message and nothing written."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import (
    CasePriority,
    CoordinationDeadline,
    CoordinationItem,
    EnforcementItem,
    HandlingMode,
    Sector,
    ServiceItem,
    ServiceLevel,
)
from governance.models.catalogues import (
    DEADLINES_OUT_OF_ORDER,
    DUPLICATE_CO_SECTOR,
    EFFECTIVE_TO_BEFORE_FROM,
    HANDLING_MODE_WRONG_LEVEL,
    LEAD_SECTOR_AS_CO_SECTOR,
    PROMISED_OVER_STATUTORY,
    UNKNOWN_CO_SECTOR,
)
from governance.roles import Role
from tests.conftest import user_with_role
from tests.factories.catalogues import (
    CoordinationDeadlineFactory,
    CoordinationItemFactory,
    EnforcementItemFactory,
    ServiceItemFactory,
)


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:governance_{model}_{view}", args=args)


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


# --- service items ---


def service_item_data(**overrides):
    data = {
        "code": "FW-0001",
        "name": "临时救助申请",
        "sector": Sector.CIVIL_AFFAIRS,
        "legal_basis": "《社会救助暂行办法》第四十七条",
        "active": "on",
        "level": ServiceLevel.TOWNSHIP,
        "handling_mode": HandlingMode.TOWNSHIP,
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
    }
    data.update(overrides)
    return data


def test_administrator_adds_a_service_item(admin_client):
    response = admin_client.post(url("serviceitem", "add"), service_item_data())
    assert response.status_code == 302
    item = ServiceItem.objects.get(code="FW-0001")
    assert (item.statutory_limit_days, item.promised_limit_days) == (20, 10)


def test_promised_limit_over_the_statutory_one_is_refused(admin_client):
    response = admin_client.post(
        url("serviceitem", "add"), service_item_data(statutory_limit_days=5, promised_limit_days=10)
    )
    assert response.status_code == 200
    assert form_errors(response) == {"promised_limit_days": [str(PROMISED_OVER_STATUTORY)]}
    assert not ServiceItem.objects.exists()


def test_village_item_handled_at_the_township_is_refused(admin_client):
    response = admin_client.post(
        url("serviceitem", "add"), service_item_data(level=ServiceLevel.VILLAGE, handling_mode=HandlingMode.TOWNSHIP)
    )
    assert response.status_code == 200
    expected = HANDLING_MODE_WRONG_LEVEL % {"level": ServiceLevel.VILLAGE.label, "mode": HandlingMode.TOWNSHIP.label}
    assert form_errors(response) == {"handling_mode": [expected]}
    assert not ServiceItem.objects.exists()


def test_township_item_accepted_at_the_village_is_refused_on_change(admin_client):
    item = ServiceItemFactory(code="FW-0001")
    response = admin_client.post(
        url("serviceitem", "change", item.pk), service_item_data(handling_mode=HandlingMode.VILLAGE_TO_TOWNSHIP)
    )
    assert response.status_code == 200
    assert "handling_mode" in form_errors(response)
    item.refresh_from_db()
    assert item.handling_mode == HandlingMode.TOWNSHIP


def test_service_item_search_and_filter(admin_client):
    ServiceItemFactory(code="FW-0001", name="临时救助申请")
    ServiceItemFactory(
        code="FW-0002",
        name="生育登记",
        legal_basis="《河南省人口与计划生育条例》",
        level=ServiceLevel.VILLAGE,
        handling_mode=HandlingMode.VILLAGE_TO_TOWNSHIP,
    )
    found = admin_client.get(url("serviceitem", "changelist"), {"q": "救助"}).context["cl"].result_list
    assert [item.code for item in found] == ["FW-0001"]
    village = admin_client.get(url("serviceitem", "changelist"), {"level__exact": "village"}).context["cl"].result_list
    assert [item.code for item in village] == ["FW-0002"]


# --- enforcement items ---


def enforcement_data(**overrides):
    data = {
        "code": "ZF-0001",
        "name": "对未经批准占用土地建住宅的行政处罚",
        "category": "penalty",
        "source_sector": Sector.NATURAL_RESOURCES,
        "legal_basis": "《中华人民共和国土地管理法》第七十八条",
        "effective_from": "2025-01-01",
        "effective_to": "",
    }
    data.update(overrides)
    return data


def test_administrator_withdraws_an_enforcement_item_and_history_records_it(admin_client):
    item = EnforcementItemFactory(code="ZF-0001", name="对未经批准占用土地建住宅的行政处罚")
    response = admin_client.post(url("enforcementitem", "change", item.pk), enforcement_data(effective_to="2025-12-31"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.effective_to == datetime.date(2025, 12, 31)
    history = admin_client.get(url("enforcementitem", "history", item.pk))
    assert history.status_code == 200
    records = history.context["page_obj"].object_list
    assert len(records) == 2
    assert records[0].effective_to == datetime.date(2025, 12, 31)
    assert records[0].history_user.username == "city_admin"


def test_effective_to_before_effective_from_is_refused(admin_client):
    response = admin_client.post(
        url("enforcementitem", "add"), enforcement_data(effective_from="2026-01-01", effective_to="2025-12-31")
    )
    assert response.status_code == 200
    assert form_errors(response) == {"effective_to": [str(EFFECTIVE_TO_BEFORE_FROM)]}
    assert not EnforcementItem.objects.exists()


@pytest.fixture
def enforcement_list():
    """One item in force throughout, one withdrawn at the end of 2025, one added in 2026."""
    EnforcementItemFactory(code="ZF-0001", effective_from=datetime.date(2024, 1, 1))
    EnforcementItemFactory(
        code="ZF-0002", effective_from=datetime.date(2024, 1, 1), effective_to=datetime.date(2025, 12, 31)
    )
    EnforcementItemFactory(code="ZF-0003", effective_from=datetime.date(2026, 1, 1))


def listed_codes(response):
    return [item.code for item in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        ("2025-06-30", ["ZF-0001", "ZF-0002"]),
        ("2025-12-31", ["ZF-0001", "ZF-0002"]),
        ("2026-01-01", ["ZF-0001", "ZF-0003"]),
        ("2023-12-31", []),
    ],
)
def test_in_force_filter_shows_the_list_as_it_stood(admin_client, enforcement_list, day, codes):
    response = admin_client.get(url("enforcementitem", "changelist"), {"in_force_on": day})
    assert response.status_code == 200
    assert listed_codes(response) == codes


def test_in_force_filter_offers_today_and_every_change_date(admin_client, enforcement_list):
    response = admin_client.get(url("enforcementitem", "changelist"), {"in_force_on": "2025-06-30"})
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "in_force_on")
    offered = [value for value, _label in spec.lookup_choices]
    assert offered[1:] == ["2026-01-01", "2025-06-30", "2024-01-01"]
    assert spec.value() == "2025-06-30"


@pytest.mark.parametrize("bad", ["yesterday", "2026-02-30"])
def test_in_force_filter_with_a_bad_date_does_not_crash(admin_client, enforcement_list, bad):
    response = admin_client.get(url("enforcementitem", "changelist"), {"in_force_on": bad})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


# --- coordination items ---


def coordination_data(*, co_sectors=(Sector.NATURAL_RESOURCES,), deadlines=(), **overrides):
    data = {
        "code": "XT-0001",
        "name": "违法占地建房巡查处置",
        "lead_sector": Sector.NATURAL_RESOURCES,
        "township_role": "日常巡查，发现后及时制止并上报",
        "workflow": "巡查发现→制止→上报→部门查处→反馈",
        "resources": "乡镇国土所2人；巡查经费列入县财政预算",
        "active": "on",
        "deadlines-TOTAL_FORMS": len(deadlines),
        "deadlines-INITIAL_FORMS": 0,
        "deadlines-MIN_NUM_FORMS": 0,
        "deadlines-MAX_NUM_FORMS": 3,
    }
    data.update(overrides)
    if co_sectors:
        data["co_sectors"] = list(co_sectors)
    for index, (priority, accept, feedback, resolve, close, *round_kind) in enumerate(deadlines):
        data.update(
            {
                f"deadlines-{index}-priority": priority,
                f"deadlines-{index}-round_kind": round_kind[0] if round_kind else "first",
                f"deadlines-{index}-accept_days": accept,
                f"deadlines-{index}-feedback_days": feedback,
                f"deadlines-{index}-resolve_days": resolve,
                f"deadlines-{index}-close_days": close,
            }
        )
    return data


def test_administrator_adds_a_coordination_item_with_sectors_and_deadlines(admin_client):
    response = admin_client.post(
        url("coordinationitem", "add"),
        coordination_data(
            co_sectors=[Sector.PUBLIC_SECURITY, Sector.AGRICULTURE],
            deadlines=[(CasePriority.NORMAL, 1, 3, 7, 10), (CasePriority.URGENT, 1, 2, 5, 7)],
        ),
    )
    assert response.status_code == 302
    item = CoordinationItem.objects.get(code="XT-0001")
    assert item.co_sectors == [Sector.AGRICULTURE, Sector.PUBLIC_SECURITY]  # the declared order
    urgent = item.deadline_profile(CasePriority.URGENT)
    assert (urgent.accept_days, urgent.feedback_days, urgent.resolve_days, urgent.close_days) == (1, 2, 5, 7)


def test_a_redo_round_profile_beside_the_first_for_one_priority(admin_client):
    response = admin_client.post(
        url("coordinationitem", "add"),
        coordination_data(
            co_sectors=[Sector.WATER],
            deadlines=[(CasePriority.URGENT, 1, 2, 5, 7), (CasePriority.URGENT, 1, 1, 3, 4, "redo")],
        ),
    )
    assert response.status_code == 302
    item = CoordinationItem.objects.get(code="XT-0001")
    assert item.deadline_profile(CasePriority.URGENT).close_days == 7
    assert item.deadline_profile(CasePriority.URGENT, redo=True).close_days == 4
    assert item.deadline_profile(CasePriority.NORMAL, redo=True).close_days == 10  # none set: 13710


def test_the_change_form_shows_co_sectors_as_ticked_checkboxes(admin_client):
    item = CoordinationItemFactory(co_sectors=[Sector.WATER, Sector.EMERGENCY])
    response = admin_client.get(url("coordinationitem", "change", item.pk))
    field = response.context["adminform"].form["co_sectors"]
    assert set(field.value()) == {Sector.WATER, Sector.EMERGENCY}
    assert 'type="checkbox"' in str(field)


def test_deadlines_out_of_order_are_refused(admin_client):
    response = admin_client.post(
        url("coordinationitem", "add"), coordination_data(deadlines=[(CasePriority.URGENT, 3, 2, 5, 7)])
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[0] == {"feedback_days": [str(DEADLINES_OUT_OF_ORDER)]}
    assert not CoordinationItem.objects.exists()
    assert not CoordinationDeadline.objects.exists()


def test_two_profiles_for_one_priority_are_refused(admin_client):
    response = admin_client.post(
        url("coordinationitem", "add"),
        coordination_data(deadlines=[(CasePriority.URGENT, 1, 2, 5, 7), (CasePriority.URGENT, 1, 3, 7, 10)]),
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not CoordinationItem.objects.exists()


def test_unknown_co_sector_is_refused(admin_client):
    response = admin_client.post(url("coordinationitem", "add"), coordination_data(co_sectors=["astrology"]))
    assert response.status_code == 200
    assert form_errors(response)["co_sectors"] == [UNKNOWN_CO_SECTOR % {"sector": "astrology"}]
    assert not CoordinationItem.objects.exists()


def test_duplicate_co_sector_is_refused(admin_client):
    response = admin_client.post(
        url("coordinationitem", "add"), coordination_data(co_sectors=[Sector.WATER, Sector.WATER])
    )
    assert response.status_code == 200
    assert form_errors(response)["co_sectors"] == [DUPLICATE_CO_SECTOR % {"sector": Sector.WATER.label}]
    assert not CoordinationItem.objects.exists()


def test_lead_sector_as_co_sector_is_refused_on_change(admin_client):
    item = CoordinationItemFactory(code="XT-0001", lead_sector=Sector.NATURAL_RESOURCES, co_sectors=[])
    response = admin_client.post(
        url("coordinationitem", "change", item.pk), coordination_data(co_sectors=[Sector.NATURAL_RESOURCES])
    )
    assert response.status_code == 200
    assert form_errors(response)["co_sectors"] == [str(LEAD_SECTOR_AS_CO_SECTOR)]
    item.refresh_from_db()
    assert item.co_sectors == []


def test_coordination_changelist_queries_do_not_grow_with_rows(admin_client):
    def queries_for_changelist():
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(url("coordinationitem", "changelist"))
        assert response.status_code == 200
        return len(context.captured_queries)

    CoordinationDeadlineFactory(item=CoordinationItemFactory())
    few = queries_for_changelist()
    for _ in range(8):
        CoordinationDeadlineFactory(item=CoordinationItemFactory(), priority=CasePriority.CRITICAL)
    assert queries_for_changelist() == few


def test_coordination_changelist_summarises_deadlines(admin_client):
    item = CoordinationItemFactory(co_sectors=[Sector.WATER, Sector.EMERGENCY])
    CoordinationDeadlineFactory(
        item=item, priority=CasePriority.CRITICAL, accept_days=1, feedback_days=1, resolve_days=2, close_days=3
    )
    CoordinationDeadlineFactory(
        item=item, priority=CasePriority.NORMAL, accept_days=1, feedback_days=3, resolve_days=7, close_days=10
    )
    model_admin = admin_client.get(url("coordinationitem", "changelist")).context["cl"].model_admin
    row = CoordinationItem.objects.prefetch_related("deadlines").get(pk=item.pk)
    assert model_admin.deadline_summary(row).endswith("1/1/2/3")
    assert model_admin.deadline_summary(row).startswith(str(CasePriority.NORMAL.label))
    assert model_admin.co_sector_names(row) == f"{Sector.WATER.label}、{Sector.EMERGENCY.label}"


def test_a_viewer_reads_the_co_sectors_by_their_names(client, county):
    item = CoordinationItemFactory(co_sectors=[Sector.WATER, Sector.EMERGENCY])
    client.force_login(user_with_role("viewer", Role.TOWNSHIP_CLERK, county.township_a))
    page = client.get(url("coordinationitem", "change", item.pk)).content.decode()
    assert "水利、应急管理" in page
    assert "emergency" not in page


# --- every other role views, none edits ---

OTHER_ROLES = [
    (Role.TOWNSHIP_CLERK, "township_a"),
    (Role.TOWNSHIP_SUPERVISOR, "township_a"),
    (Role.VILLAGE_CLERK, "village_a"),
    (Role.DEPARTMENT_OFFICER, "agriculture"),
    (Role.COUNTY_GOVERNANCE_CENTRE, "county"),
    (Role.COUNTY_ORGANISATION, "county"),
]


@pytest.mark.parametrize(("role", "unit"), OTHER_ROLES)
def test_other_roles_view_but_cannot_add_change_or_delete(client, county, role, unit):
    client.force_login(user_with_role("someone", role, getattr(county, unit)))
    service = ServiceItemFactory(code="FW-0001", name="临时救助申请")
    enforcement = EnforcementItemFactory(code="ZF-0001")
    coordination = CoordinationItemFactory(code="XT-0001")
    cases = [
        ("serviceitem", service, service_item_data(name="改名")),
        ("enforcementitem", enforcement, enforcement_data(name="改名")),
        ("coordinationitem", coordination, coordination_data(name="改名")),
    ]
    for model, item, data in cases:
        assert client.get(url(model, "changelist")).status_code == 200
        assert client.get(url(model, "change", item.pk)).status_code == 200  # read-only view
        assert client.get(url(model, "history", item.pk)).status_code == 200
        assert client.get(url(model, "add")).status_code == 403
        assert client.post(url(model, "add"), data | {"code": "NEW-1"}).status_code == 403
        assert client.post(url(model, "change", item.pk), data).status_code == 403
        assert client.post(url(model, "delete", item.pk), {"post": "yes"}).status_code == 403
        item.refresh_from_db()
        assert item.name != "改名"
    assert ServiceItem.objects.count() == EnforcementItem.objects.count() == CoordinationItem.objects.count() == 1


def test_a_user_without_a_role_sees_no_catalogue(client, county):
    from tests.factories.governance import UserFactory

    client.force_login(UserFactory(username="nobody"))
    for model in ("serviceitem", "enforcementitem", "coordinationitem"):
        assert client.get(url(model, "changelist")).status_code == 403


def test_an_end_stored_as_9999_12_31_before_dates_were_bounded_does_not_break_the_list(admin_client):
    EnforcementItemFactory(code="ZF-0009", effective_from=datetime.date(2020, 1, 1))
    EnforcementItem.objects.filter(code="ZF-0009").update(effective_to=datetime.date(9999, 12, 31))
    response = admin_client.get(url("enforcementitem", "changelist"))
    assert response.status_code == 200 and listed_codes(response) == ["ZF-0009"]
