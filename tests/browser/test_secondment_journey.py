"""Issue 14: a secondment in three hands. The agriculture bureau drafted it (the demo); the county
organisation officer approves it from the home page's queue; 柳林镇's clerk confirms the cadre's
arrival (报到); from then it is in force and in the township's headcount."""

import pytest

from staffing.models import Secondment, SecondmentState

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_approved_by_the_county_and_confirmed_on_arrival_by_the_township(open_as, demo_city):
    secondment = Secondment.objects.select_related("cadre").get(state=SecondmentState.DRAFTED, host_unit__name="柳林镇")
    organiser = open_as("qh_org")
    organiser.follow("待您审批的干部派驻")
    organiser.follow_in_list(secondment.cadre.name)
    organiser.step("批准派驻")
    organiser.expect_message("已批准")
    organiser.shot("approved")

    clerk = open_as("ll_clerk")
    clerk.follow("待确认报到的派驻干部")
    clerk.follow_in_list(secondment.cadre.name)
    clerk.step("确认报到")
    clerk.submit()  # today, the form's default
    clerk.expect_message("已确认报到")
    clerk.shot("arrived")
    secondment.refresh_from_db()
    assert secondment.state == SecondmentState.IN_FORCE
    steps = list(secondment.transitions.values_list("actor__username", "to_state"))
    assert steps == [("qh_agri", "drafted"), ("qh_org", "approved"), ("ll_clerk", "in_force")]
