"""Factories for cadres and secondments. ID numbers are well-formed (python-stdnum check digit)."""

import datetime

import factory

from staffing.idnumbers import id_number_compose, id_number_parse
from staffing.models import Cadre, Education, PoliticalStatus, Secondment, SecondmentState
from staffing.ranks import Rank, StaffCategory
from tests.factories.governance import DepartmentFactory, TownshipFactory


def id_number(n: int, *, male: bool = True) -> str:
    """The n-th distinct valid number (born 1983–1999 in 410102, a code stdnum knows)."""
    birth = datetime.date(1983 + n % 17, n % 12 + 1, n % 28 + 1)
    return id_number_compose("410102", birth, (n * 2 + (1 if male else 0)) % 1000)


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"干部{n}")
    id_number = factory.Sequence(id_number)
    gender = factory.LazyAttribute(lambda o: id_number_parse(o.id_number).gender)
    birth_date = factory.LazyAttribute(lambda o: id_number_parse(o.id_number).birth_date)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    political_status = PoliticalStatus.CPC_MEMBER
    education = Education.BACHELOR
    home_unit = factory.SubFactory(DepartmentFactory)
    current_post = "科员"
    staff_category = StaffCategory.CIVIL_SERVANT
    rank = Rank.CLERK_1


class SecondmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Secondment

    sending_unit = factory.SubFactory(DepartmentFactory)
    host_unit = factory.SubFactory(TownshipFactory)
    cadre = factory.SubFactory(CadreFactory, home_unit=factory.SelfAttribute("..sending_unit"))
    start_date = datetime.date(2025, 3, 1)
    post = "农技推广员"
    # In force, as after the three hands (drafted, approved, arrival confirmed); tests of the
    # hands themselves go through staffing.services.
    state = SecondmentState.IN_FORCE
    arrived_on = factory.SelfAttribute("start_date")
