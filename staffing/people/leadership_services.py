"""Writes and reads of township leadership teams (issue 15 item 5). The county organisation department
keeps the posts and their holders (ORGANISE_CADRES); the structure report reads the holders."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.roles import Capability
from governance.scoping import holds
from staffing.models import Cadre, Education, GenderChoice, Secondment
from staffing.people.leadership_teams import HOLDER_NOT_OF_TOWNSHIP, TeamPosition

TEAM_NOT_PERMITTED = _("Township leadership posts are kept by the county organisation department.")

AGE_BANDS = ((0, 35, "≤35"), (36, 45, "36–45"), (46, 55, "46–55"), (56, 200, "≥56"))


@transaction.atomic
def team_position_save(*, actor, position: TeamPosition) -> TeamPosition:
    position.full_clean()
    if not holds(actor, Capability.ORGANISE_CADRES, position.township_id):
        raise ValidationError(TEAM_NOT_PERMITTED, code="permission")
    if position.holder_id and not _of_township(position.holder, position.township_id):
        raise ValidationError({"holder": HOLDER_NOT_OF_TOWNSHIP})
    position._history_user = actor
    position.save()
    return position


def _of_township(cadre: Cadre, township_id) -> bool:
    return cadre.home_unit_id == township_id or (
        Secondment.objects.in_force().filter(cadre=cadre, host_unit_id=township_id).exists()
    )


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(age: int) -> str:
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


@dataclass
class TeamStructure:
    """A team's (or a county's teams') posts, vacancies and the holders' age, education and gender."""

    posts: int = 0
    vacancies: int = 0
    ages: Counter = field(default_factory=Counter)
    education: Counter = field(default_factory=Counter)
    women: int = 0
    average_age: float | None = None

    @property
    def held(self) -> int:
        return self.posts - self.vacancies

    def education_rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.education[value]) for value, label in Education.choices]

    def age_rows(self) -> list[tuple[str, int]]:
        return [(label, self.ages[label]) for _low, _high, label in AGE_BANDS]


def team_structure(townships, *, day: datetime.date | None = None) -> TeamStructure:
    """The structure of the teams of ``townships`` (one township, or a county's): a person holding
    two posts (书记 and 人大主席) is counted once."""
    day = day or timezone.localdate()
    positions = TeamPosition.objects.filter(township__in=townships).select_related("holder")
    structure = TeamStructure()
    holders = {}
    for position in positions:
        structure.posts += 1
        if position.holder is None:
            structure.vacancies += 1
        else:
            holders[position.holder_id] = position.holder
    ages = [age_on(holder.birth_date, day) for holder in holders.values()]
    structure.ages = Counter(age_band(age) for age in ages)
    structure.education = Counter(holder.education for holder in holders.values())
    structure.women = sum(1 for holder in holders.values() if holder.gender == GenderChoice.FEMALE)
    structure.average_age = round(sum(ages) / len(ages), 1) if ages else None
    return structure
