"""Factories for the catalogue items cases run on, and a helper raising a case through the service."""

import factory

from cases.raising import case_raise
from governance.models import (
    CasePriority,
    CoordinationItem,
    HandlingMode,
    Sector,
    ServiceItem,
    ServiceLevel,
)


class CoordinationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinationItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"XT-TEST-{n:03d}")
    name = factory.Sequence(lambda n: f"农村人居环境整治协同事项{n}")
    lead_sector = Sector.AGRICULTURE
    co_sectors = factory.LazyFunction(lambda: [Sector.HOUSING_CONSTRUCTION])
    township_role = "乡镇负责现场核查、组织群众、跟踪反馈"
    workflow = "乡镇吹哨 → 部门报到 → 联合处置 → 乡镇评价 → 销号"


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"FW-TEST-{n:03d}")
    name = factory.Sequence(lambda n: f"城乡居民养老保险参保登记{n}")
    level = ServiceLevel.VILLAGE
    sector = Sector.HUMAN_RESOURCES
    handling_mode = HandlingMode.VILLAGE
    statutory_limit_days = 10
    promised_limit_days = 5


def case_raised(*, actor, township, item=None, co_sectors=(), now=None, **fields):
    """A case raised through ``case_raise`` (so its assignments, dues and transitions are real)."""
    fields.setdefault("title", "东关村排水沟堵塞")
    fields.setdefault("description", "雨后积水严重，需农业农村和住建部门联合处置。")
    fields.setdefault("priority", CasePriority.NORMAL)
    if co_sectors is not None:  # the tests name their departments; leaving the item's others out needs a reason
        fields.setdefault("left_out_reason", "只涉及所选部门")
    return case_raise(
        actor=actor, township=township, item=item or CoordinationItemFactory(), co_sectors=co_sectors, now=now, **fields
    )
