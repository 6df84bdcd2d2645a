"""Factories for the working-day calendar and the catalogues of devolved powers."""

import datetime

import factory

from governance.models import (
    CalendarDay,
    CalendarYear,
    CasePriority,
    CoordinationDeadline,
    CoordinationItem,
    EnforcementCategory,
    EnforcementItem,
    HandlingMode,
    Sector,
    ServiceItem,
    ServiceLevel,
)


class CalendarYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    calendar_year = factory.LazyAttribute(lambda o: CalendarYearFactory(year=o.date.year))
    date = datetime.date(2027, 1, 1)
    is_workday = False
    name = "元旦"


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"FW-{n:04d}")
    name = factory.Sequence(lambda n: f"测试服务事项{n}")
    level = ServiceLevel.TOWNSHIP
    sector = Sector.CIVIL_AFFAIRS
    legal_basis = "《社会救助暂行办法》第四十七条"
    handling_mode = HandlingMode.TOWNSHIP
    statutory_limit_days = 20
    promised_limit_days = 10


class EnforcementItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementItem

    code = factory.Sequence(lambda n: f"ZF-{n:04d}")
    name = factory.Sequence(lambda n: f"测试执法事项{n}")
    category = EnforcementCategory.PENALTY
    legal_basis = "《中华人民共和国土地管理法》第七十八条"
    source_sector = Sector.NATURAL_RESOURCES
    effective_from = datetime.date(2025, 1, 1)


class CoordinationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinationItem

    code = factory.Sequence(lambda n: f"XT-{n:04d}")
    name = factory.Sequence(lambda n: f"测试协同事项{n}")
    lead_sector = Sector.AGRICULTURE
    co_sectors = factory.LazyFunction(lambda: [Sector.NATURAL_RESOURCES.value])
    township_role = "巡查发现、先行劝阻、及时上报"


class CoordinationDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinationDeadline

    item = factory.SubFactory(CoordinationItemFactory)
    priority = CasePriority.URGENT
    accept_days = 1
    feedback_days = 2
    resolve_days = 5
    close_days = 7
