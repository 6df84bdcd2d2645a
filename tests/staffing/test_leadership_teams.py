"""Township leadership teams (issue 15 item 5): posts kept by the county organisation department,
held by the township's cadres or vacant; the structure report by township and county."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.roles import Role
from staffing.models import Education
from staffing.people.leadership_services import TEAM_NOT_PERMITTED, team_position_save, team_structure
from staffing.people.leadership_teams import HOLDER_NOT_OF_TOWNSHIP, TeamPosition, TeamPost
from tests.conftest import user_with_role
from tests.factories.staffing import CadreFactory, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


def seat(township, post, holder=None, number=1):
    return TeamPosition(township=township, post=post, seat=number, holder=holder)


def test_the_structure_report_counts_vacancies_ages_education_and_women(county, organiser):
    secretary = CadreFactory(home_unit=county.township_a, id_number=id_number(3, male=False), education="postgraduate")
    head = CadreFactory(home_unit=county.township_a, id_number=id_number(10))
    team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.PARTY_SECRETARY, secretary))
    team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.CONGRESS_CHAIR, secretary))
    team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.HEAD, head))
    team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.DEPUTY_HEAD))
    structure = team_structure([county.township_a], day=datetime.date(2026, 12, 1))
    assert (structure.posts, structure.vacancies, structure.held, structure.women) == (4, 1, 3, 1)
    assert sum(structure.ages.values()) == 2  # the secretary who is also 人大主席 counted once
    assert dict(structure.education_rows())[str(Education.POSTGRADUATE.label)] == 1


def test_the_holder_is_a_cadre_of_the_township(county, organiser):
    other = CadreFactory(home_unit=county.township_b)
    with pytest.raises(ValidationError) as refused:
        team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.HEAD, other))
    assert str(HOLDER_NOT_OF_TOWNSHIP) in str(refused.value)


def test_the_township_sees_its_team_without_keeping_it_the_neighbour_sees_nothing(county, organiser, owner, outsider):
    with pytest.raises(ValidationError) as refused:
        team_position_save(actor=owner, position=seat(county.township_a, TeamPost.HEAD))
    assert str(TEAM_NOT_PERMITTED) in str(refused.value)
    team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.HEAD))
    assert TeamPosition.objects.for_user(owner).count() == 1
    assert not TeamPosition.objects.for_user(outsider).exists()


def test_one_holder_per_seat(county, organiser):
    team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.HEAD))
    with pytest.raises(ValidationError):
        team_position_save(actor=organiser, position=seat(county.township_a, TeamPost.HEAD))
