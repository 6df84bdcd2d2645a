"""Factories for the unit tree and users. Codes are generated valid and consistent with the parent."""

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from governance.models import Sector, Unit, UnitKind


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = "豫中市"
    code = "419900000000"
    kind = UnitKind.CITY


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = factory.SubFactory(CityFactory)
    kind = UnitKind.COUNTY
    name = factory.Sequence(lambda n: f"测试县{n}")
    # 30–69: never the fixtures' 清河县 (4199 21) nor the demo's 东湖新区 (4199 71), whatever the sequence.
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:4]}{n % 40 + 30:02d}000000")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = factory.SubFactory(CountyFactory)
    kind = UnitKind.TOWN
    name = factory.Sequence(lambda n: f"测试镇{n}")
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:6]}{n % 899 + 100:03d}000")
    staff_quota = 100


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = factory.SubFactory(TownshipFactory)
    kind = UnitKind.VILLAGE
    name = factory.Sequence(lambda n: f"测试村{n}")
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:9]}{n % 899 + 100:03d}")


def credit_code(seed: int, region: str = "419900") -> str:
    body = f"11{region}MB{seed:07d}"
    return body + uscc.calc_check_digit(body)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = factory.SubFactory(CountyFactory)
    kind = UnitKind.DEPARTMENT
    sector = Sector.AGRICULTURE
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.name}{Sector(o.sector).label}{n}")
    code = factory.LazyAttributeSequence(lambda o, n: credit_code(n, o.parent.code[:6]))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("pw")
