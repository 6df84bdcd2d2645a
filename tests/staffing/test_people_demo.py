"""The demo county shows issue 15's people: 王楼村 without a 主任, 石桥乡's 纪委书记 vacant, training with
attendance, postings of every other kind, offices with staff and a transfer; loading again adds nothing."""

import pytest

from staffing.people import demo as people_demo
from staffing.people.leadership_teams import TeamPosition
from staffing.people.postings import Posting
from staffing.people.township_staff import OfficeStaff, StaffTransfer
from staffing.people.training import TrainingAttendance
from staffing.people.village_services import villages_lacking_heads

pytestmark = pytest.mark.django_db


def test_the_demo_county_shows_every_kind_of_people_record(demo_city):
    organiser = demo_city.users["qh_org"]
    assert [village.name for village in villages_lacking_heads(user=organiser)] == ["王楼村"]
    assert [(p.township.name, p.post) for p in TeamPosition.objects.vacant()] == [("石桥乡", "discipline_secretary")]
    assert TrainingAttendance.objects.filter(attended=True).count() > 10
    assert set(Posting.objects.values_list("kind", flat=True)) == {"exchange", "attached", "selected"}
    assert StaffTransfer.objects.count() == 1 and OfficeStaff.objects.count() > 150
    counts = [model.objects.count() for model in (TrainingAttendance, Posting, OfficeStaff, TeamPosition)]
    people_demo.load(demo_city)
    assert [model.objects.count() for model in (TrainingAttendance, Posting, OfficeStaff, TeamPosition)] == counts
