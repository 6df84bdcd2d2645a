"""The catalogue models' rules: clean() messages, the database constraints behind them, the
enforcement list as it stood on a date, and deadline profiles."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import (
    THIRTEEN_SEVEN_TEN,
    CasePriority,
    CoordinationDeadline,
    DeadlineProfile,
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
    LEAD_SECTOR_AS_CO_SECTOR,
    PROMISED_OVER_STATUTORY,
    UNKNOWN_CO_SECTOR,
)
from tests.factories.catalogues import (
    CoordinationDeadlineFactory,
    CoordinationItemFactory,
    EnforcementItemFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


# --- service items ---


def test_promised_limit_over_statutory_is_refused_by_clean():
    item = ServiceItemFactory.build(statutory_limit_days=5, promised_limit_days=6)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert messages_of(error)["promised_limit_days"] == [str(PROMISED_OVER_STATUTORY)]


def test_promised_equal_to_statutory_is_allowed():
    ServiceItemFactory.build(statutory_limit_days=5, promised_limit_days=5).full_clean()


def test_database_refuses_promised_limit_over_statutory():
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItemFactory(statutory_limit_days=5, promised_limit_days=6)
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("level", "mode", "allowed"),
    [
        (ServiceLevel.TOWNSHIP, HandlingMode.TOWNSHIP, True),
        (ServiceLevel.TOWNSHIP, HandlingMode.VILLAGE, False),
        (ServiceLevel.TOWNSHIP, HandlingMode.VILLAGE_TO_TOWNSHIP, False),
        (ServiceLevel.VILLAGE, HandlingMode.VILLAGE, True),
        (ServiceLevel.VILLAGE, HandlingMode.VILLAGE_TO_TOWNSHIP, True),
        (ServiceLevel.VILLAGE, HandlingMode.TOWNSHIP, False),
    ],
)
def test_handling_mode_must_fit_the_level(level, mode, allowed):
    item = ServiceItemFactory.build(level=level, handling_mode=mode)
    if allowed:
        item.full_clean()
        item.save()
        return
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert list(messages_of(error)) == ["handling_mode"]
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_service_item_code_is_unique():
    ServiceItemFactory(code="FW-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItemFactory(code="FW-0001")


# --- enforcement items: dynamic list management ---


def test_effective_to_before_effective_from_is_refused():
    item = EnforcementItemFactory.build(
        effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2025, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert messages_of(error)["effective_to"] == [str(EFFECTIVE_TO_BEFORE_FROM)]
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_an_item_in_force_for_a_single_day_is_allowed():
    day = datetime.date(2026, 1, 1)
    EnforcementItemFactory.build(effective_from=day, effective_to=day).full_clean()


def codes_on(day: datetime.date) -> list[str]:
    return list(EnforcementItem.objects.in_force_on(day).values_list("code", flat=True))


def test_in_force_on_is_the_list_as_it_stood_in_one_query(django_assert_num_queries):
    EnforcementItemFactory(code="ZF-0001", effective_from=datetime.date(2024, 1, 1))
    EnforcementItemFactory(
        code="ZF-0002", effective_from=datetime.date(2024, 1, 1), effective_to=datetime.date(2025, 12, 31)
    )
    EnforcementItemFactory(code="ZF-0003", effective_from=datetime.date(2026, 1, 1))
    with django_assert_num_queries(1):
        assert codes_on(datetime.date(2025, 12, 31)) == ["ZF-0001", "ZF-0002"]
    assert codes_on(datetime.date(2026, 1, 1)) == ["ZF-0001", "ZF-0003"]
    assert codes_on(datetime.date(2023, 12, 31)) == []


def test_a_withdrawn_item_drops_out_after_its_last_day_and_history_keeps_the_change():
    item = EnforcementItemFactory(code="ZF-0001", effective_from=datetime.date(2024, 1, 1))
    item.effective_to = datetime.date(2026, 6, 30)
    item._change_reason = "县政府第12号公告：收回乡镇"
    item.save()
    assert codes_on(datetime.date(2026, 6, 30)) == ["ZF-0001"]
    assert codes_on(datetime.date(2026, 7, 1)) == []
    history = list(item.history.order_by("history_date"))
    assert [(record.history_type, record.effective_to) for record in history] == [
        ("+", None),
        ("~", datetime.date(2026, 6, 30)),
    ]
    assert history[-1].history_change_reason == "县政府第12号公告：收回乡镇"
    delta = history[-1].diff_against(history[0])
    assert delta.changed_fields == ["effective_to"]


# --- coordination items ---


def test_unknown_co_sector_is_refused():
    item = CoordinationItemFactory.build(co_sectors=["astrology"])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert messages_of(error)["co_sectors"] == [UNKNOWN_CO_SECTOR % {"sector": "astrology"}]


def test_a_co_sector_listed_twice_is_refused():
    item = CoordinationItemFactory.build(co_sectors=[Sector.WATER, Sector.EMERGENCY, Sector.WATER])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert messages_of(error)["co_sectors"] == [DUPLICATE_CO_SECTOR % {"sector": Sector.WATER.label}]


def test_lead_sector_cannot_also_co_handle():
    item = CoordinationItemFactory.build(lead_sector=Sector.WATER, co_sectors=[Sector.EMERGENCY, Sector.WATER])
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert messages_of(error)["co_sectors"] == [str(LEAD_SECTOR_AS_CO_SECTOR)]


def test_no_profile_means_thirteen_seven_ten():
    item = CoordinationItemFactory()
    assert item.deadline_profile(CasePriority.NORMAL) == THIRTEEN_SEVEN_TEN == DeadlineProfile(1, 3, 7, 10)


def test_a_profile_for_a_priority_is_used_for_that_priority_only():
    item = CoordinationItemFactory()
    CoordinationDeadlineFactory(
        item=item, priority=CasePriority.CRITICAL, accept_days=1, feedback_days=1, resolve_days=2, close_days=3
    )
    assert item.deadline_profile(CasePriority.CRITICAL) == DeadlineProfile(1, 1, 2, 3)
    assert item.deadline_profile(CasePriority.URGENT) == THIRTEEN_SEVEN_TEN


@pytest.mark.parametrize(
    ("days", "field"),
    [
        ((0, 3, 7, 10), "accept_days"),
        ((3, 2, 7, 10), "feedback_days"),
        ((1, 3, 2, 10), "resolve_days"),
        ((1, 3, 7, 6), "close_days"),
    ],
)
def test_deadlines_out_of_order_are_refused(days, field):
    row = CoordinationDeadline(item=CoordinationItemFactory(), priority=CasePriority.URGENT)
    row.accept_days, row.feedback_days, row.resolve_days, row.close_days = days
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert messages_of(error) == {field: [str(DEADLINES_OUT_OF_ORDER)]}
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    assert not CoordinationDeadline.objects.exists()


def test_equal_steps_are_in_order():
    row = CoordinationDeadline(
        item=CoordinationItemFactory(),
        priority=CasePriority.CRITICAL,
        accept_days=1,
        feedback_days=1,
        resolve_days=1,
        close_days=1,
    )
    row.full_clean()


def test_one_profile_per_priority():
    item = CoordinationItemFactory()
    CoordinationDeadlineFactory(item=item, priority=CasePriority.URGENT)
    duplicate = CoordinationDeadline(item=item, priority=CasePriority.URGENT)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
