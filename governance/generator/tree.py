"""The generated city's tree, leadership posts, users and roles, made through the models and the
role service as the demo's are (hundreds of rows: correctness over speed)."""

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from governance.access import role_assign
from governance.demo import DEMO_PASSWORD, DEPARTMENTS, DemoCity, department_code, load_posts
from governance.demo_catalogues import load_catalogues
from governance.generator.names import COUNTY_WORDS, TOWN_WORDS, person, unique_places
from governance.models import Unit, UnitKind
from governance.roles import Role

CITY_CODE, CITY_NAME = "419800000000", "豫北市"


@dataclass
class Township:
    unit: Unit
    villages: list[Unit]
    clerk: object = None
    secretary: object = None
    village_clerk: object = None


@dataclass
class County:
    unit: Unit
    townships: list[Township] = field(default_factory=list)
    departments: dict[str, Unit] = field(default_factory=dict)  # sector -> department
    officers: dict[str, object] = field(default_factory=dict)  # sector -> department officer
    centre: object = None
    organiser: object = None


@dataclass
class GeneratedCity:
    city: Unit
    counties: list[County]


def city_exists() -> bool:
    return Unit.objects.filter(code=CITY_CODE).exists()


def _unit(**values) -> Unit:
    unit = Unit(**values)
    unit.full_clean()
    unit.save()
    return unit


def build_tree(rng: random.Random, *, counties: int, townships: int, villages: int) -> GeneratedCity:
    """``counties`` counties of about ``townships`` townships of about ``villages`` villages each,
    with every county department of the demo's list."""
    load_catalogues()
    city = _unit(code=CITY_CODE, name=CITY_NAME, kind=UnitKind.CITY)
    built = []
    for c in range(1, counties + 1):
        code = f"{CITY_CODE[:4]}{c:02d}000000"
        name = f"{COUNTY_WORDS[(c - 1) % len(COUNTY_WORDS)]}{'县' if c % 4 else '区'}"
        county = County(
            _unit(code=code, name=name, kind=UnitKind.COUNTY if c % 4 else UnitKind.DISTRICT, parent=city, pilot=c <= 2)
        )
        for number, (sector, suffix) in enumerate(DEPARTMENTS, start=1):
            county.departments[sector] = _unit(
                code=department_code(code, number),
                name=f"{name}{suffix}",
                kind=UnitKind.DEPARTMENT,
                parent=county.unit,
                sector=sector,
            )
        words = rng.sample(TOWN_WORDS, k=min(len(TOWN_WORDS), townships + rng.randint(-2, 2)))
        for t, word in enumerate(words, start=1):
            kind = UnitKind.STREET if t <= 2 else (UnitKind.TOWN if t % 3 else UnitKind.TOWNSHIP)
            suffix = {UnitKind.STREET: "街道", UnitKind.TOWN: "镇", UnitKind.TOWNSHIP: "乡"}[kind]
            township_code = f"{code[:6]}{100 + t:03d}000"
            township = _unit(
                code=township_code,
                name=f"{word}{suffix}",
                kind=kind,
                parent=county.unit,
                staff_quota=rng.choice([100, 100, 100, 120, 140]),
                pilot=c <= 2,
            )
            count = max(3, villages + rng.randint(-villages // 4, villages // 4))
            places = unique_places(rng, count, "")
            made = [
                _unit(
                    code=f"{township_code[:9]}{v:03d}",
                    name=f"{place}{'社区' if kind == UnitKind.STREET else '村'}",
                    kind=UnitKind.COMMUNITY if kind == UnitKind.STREET else UnitKind.VILLAGE,
                    parent=township,
                )
                for v, place in enumerate(places, start=1)
            ]
            county.townships.append(Township(township, made))
        built.append(county)
    generated = GeneratedCity(city, built)
    _posts(generated)
    return generated


def _posts(generated: GeneratedCity) -> None:
    """The "一正六副" posts of each county, through the demo's own loader."""
    view = DemoCity(city=generated.city, counties=[county.unit for county in generated.counties])
    for county in generated.counties:
        for sector, department in county.departments.items():
            view.departments[(county.unit.code, sector)] = department
    load_posts(view)


def build_people(rng: random.Random, generated: GeneratedCity) -> int:
    """One holder of each role where the work happens; every password the demo's."""
    password = make_password(DEMO_PASSWORD)
    made = 0

    def user(username, role, unit):
        nonlocal made
        gender = rng.choice(["male", "female"])
        account = get_user_model().objects.create(
            username=username, first_name=person(rng, gender), password=password, is_staff=True
        )
        role_assign(user=account, unit=unit, role=role)
        made += 1
        return account

    user("g_city", Role.CITY_ADMIN, generated.city)
    for c, county in enumerate(generated.counties, start=1):
        prefix = f"g{c:02d}"
        county.centre = user(f"{prefix}_centre", Role.COUNTY_GOVERNANCE_CENTRE, county.unit)
        county.organiser = user(f"{prefix}_org", Role.COUNTY_ORGANISATION, county.unit)
        for sector, department in county.departments.items():
            county.officers[sector] = user(f"{prefix}_{sector}", Role.DEPARTMENT_OFFICER, department)
        for t, township in enumerate(county.townships, start=1):
            township.clerk = user(f"{prefix}t{t:02d}_clerk", Role.TOWNSHIP_CLERK, township.unit)
            township.secretary = user(f"{prefix}t{t:02d}_secretary", Role.TOWNSHIP_SUPERVISOR, township.unit)
            township.village_clerk = user(f"{prefix}t{t:02d}v01_clerk", Role.VILLAGE_CLERK, township.villages[0])
    return made
