import datetime

import pytest

from governance.demo import DEPARTMENTS
from governance.demo_catalogues import WITHDRAWAL_REASON, load_catalogues
from governance.models import (
    THIRTEEN_SEVEN_TEN,
    CasePriority,
    CoordinationDeadline,
    CoordinationItem,
    EnforcementItem,
    HandlingMode,
    ServiceItem,
    ServiceLevel,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        ServiceItem.objects.count(),
        EnforcementItem.objects.count(),
        CoordinationItem.objects.count(),
        CoordinationDeadline.objects.count(),
        ServiceItem.history.count() + EnforcementItem.history.count() + CoordinationItem.history.count(),
    )


def test_demo_catalogues_are_large_enough_and_span_both_levels():
    load_catalogues()
    assert ServiceItem.objects.filter(level=ServiceLevel.TOWNSHIP).count() >= 15
    assert ServiceItem.objects.filter(level=ServiceLevel.VILLAGE).count() >= 15
    assert ServiceItem.objects.filter(handling_mode=HandlingMode.VILLAGE_TO_TOWNSHIP).exists()
    assert ServiceItem.objects.count() >= 30
    assert EnforcementItem.objects.count() >= 20
    assert CoordinationItem.objects.count() >= 15


def test_loading_twice_changes_nothing():
    load_catalogues()
    before = counts()
    load_catalogues()
    assert counts() == before


def test_an_existing_item_edited_by_an_administrator_is_left_alone():
    load_catalogues()
    ServiceItem.objects.filter(code="FW-CJ-008").update(promised_limit_days=3)
    load_catalogues()
    assert ServiceItem.objects.get(code="FW-CJ-008").promised_limit_days == 3


def test_the_enforcement_list_differs_by_date_and_history_shows_the_withdrawals():
    load_catalogues()
    mid_2025 = set(EnforcementItem.objects.in_force_on(datetime.date(2025, 6, 30)).values_list("code", flat=True))
    late_2026 = set(EnforcementItem.objects.in_force_on(datetime.date(2026, 11, 25)).values_list("code", flat=True))
    assert mid_2025 - late_2026 == {"ZF-2024-009", "ZF-2024-010"}  # withdrawn
    assert late_2026 - mid_2025 == {"ZF-2026-001", "ZF-2026-002"}  # second batch
    withdrawn = EnforcementItem.objects.get(code="ZF-2024-010")
    latest = withdrawn.history.latest("history_date")
    assert latest.history_change_reason == WITHDRAWAL_REASON
    assert latest.effective_to == datetime.date(2025, 12, 31)
    assert withdrawn.history.count() == 2


def test_every_coordination_sector_has_a_department_in_the_demo_counties():
    """So a case raised under any demo item can be assigned to real departments."""
    load_catalogues()
    demo_sectors = {sector for sector, _suffix in DEPARTMENTS}
    for item in CoordinationItem.objects.all():
        assert item.lead_sector in demo_sectors, item.code
        assert set(item.co_sectors) <= demo_sectors, item.code
        assert item.co_sectors, item.code


def test_normal_matters_run_on_thirteen_seven_ten_and_some_items_are_tighter():
    load_catalogues()
    for item in CoordinationItem.objects.all():
        assert item.deadline_profile(CasePriority.NORMAL) == THIRTEEN_SEVEN_TEN
    critical = CoordinationItem.objects.filter(deadlines__priority=CasePriority.CRITICAL).distinct()
    assert critical.count() >= 3
    for item in critical:
        assert item.deadline_profile(CasePriority.CRITICAL).close_days < THIRTEEN_SEVEN_TEN.close_days


def test_every_demo_item_passes_its_own_rules():
    load_catalogues()
    for model in (ServiceItem, EnforcementItem, CoordinationItem, CoordinationDeadline):
        for row in model.objects.all():
            row.full_clean()
