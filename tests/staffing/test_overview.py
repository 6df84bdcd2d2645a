"""The township overview (issue 15 "Done when"): the county organisation officer sees every township's
team and vacancies, staff against posts, seconded and exchanged cadres, village committees and the
untrained; a township sees its own page only, the neighbouring township's answers as not found."""

import datetime
import re

import pytest
from django.urls import reverse

from governance.roles import Role
from staffing.people.leadership_services import team_position_save
from staffing.people.leadership_teams import TeamPosition, TeamPost
from staffing.people.overview import township_overviews
from staffing.people.village_committees import CommitteePost
from staffing.people.village_services import village_member_save
from tests.conftest import user_with_role
from tests.factories.staffing import CadreFactory, SecondmentFactory
from tests.staffing.test_village_members import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


@pytest.fixture
def township_people(county, organiser, owner):
    secretary = CadreFactory(home_unit=county.township_a, name="王建国")
    team_position_save(
        actor=organiser,
        position=TeamPosition(township=county.township_a, post=TeamPost.PARTY_SECRETARY, holder=secretary),
    )
    team_position_save(actor=organiser, position=TeamPosition(township=county.township_a, post=TeamPost.HEAD))
    SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a, cadre__name="李卫东")
    village_member_save(actor=owner, member=member(county.village_a, CommitteePost.SECRETARY, name="张秀英"))
    return secretary


def test_the_summary_counts_each_townships_people(county, organiser, township_people):
    rows = {row.name: row for row in township_overviews(user=organiser, year=datetime.date.today().year)}
    first = rows["城关镇"]
    assert (first.team_posts, first.team_vacancies, first.seconded_in, first.villages_lacking_heads) == (2, 1, 1, 1)
    assert first.untrained == 3  # the secretary, the seconded cadre and the village secretary
    assert rows["柳林镇"].team_posts == 0


def test_the_organisation_officer_opens_the_summary_and_a_townships_page(client, county, organiser, township_people):
    client.force_login(organiser)
    summary = client.get(reverse("admin:staffing_townshipoverview_changelist"))
    assert summary.status_code == 200
    assert {row.name for row in summary.context["cl"].result_list} == {"城关镇", "柳林镇"}
    page = client.get(reverse("admin:staffing_townshipoverview_change", args=[county.township_a.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    for name in ("王建国", "李卫东", "东关村", "张秀英"):
        assert name in content
    for model in ("teamposition", "officestaff", "villagemember"):
        link = re.search(rf'href="(/admin/staffing/{model}/\?[^"]+)"', content).group(1).replace("&amp;", "&")
        listed = client.get(link)
        assert listed.status_code == 200, link
    members = client.get(re.search(r'href="(/admin/staffing/villagemember/\?[^"]+)"', content).group(1))
    assert [m.name for m in members.context["cl"].result_list] == ["张秀英"]


def test_a_township_sees_only_its_own_overview(client, county, owner, township_people):
    client.force_login(owner)
    summary = client.get(reverse("admin:staffing_townshipoverview_changelist"))
    assert [row.name for row in summary.context["cl"].result_list] == ["城关镇"]
    other = client.get(reverse("admin:staffing_townshipoverview_change", args=[county.township_b.pk]))
    assert other.status_code == 302 and other.url == reverse("admin:index")
