"""Co-handling departments pre-ticked from the coordination list; leaving one out needs a reason,
kept on the case's timeline (issue 14 item 4)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case, CaseTransition, TransitionAction
from cases.raising import CO_SECTOR_LEFT_OUT_NEEDS_REASON, case_raise
from governance.models import CasePriority, Sector
from tests.cases.conftest import beijing
from tests.factories.cases import CoordinationItemFactory

FIELDS = {"title": "东关村排水沟堵塞", "description": "雨后积水", "priority": CasePriority.NORMAL}


def test_the_items_co_handling_departments_are_assigned_by_default(county, owner, item):
    result = case_raise(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9), **FIELDS)
    assert [a.department for a in result.assignments] == [county.agriculture, county.housing]
    assert not result.case.transitions.filter(action=TransitionAction.LEFT_OUT).exists()


def test_unticking_one_without_a_reason_is_refused_and_writes_nothing(county, owner, item):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            case_raise(
                actor=owner, township=county.township_a, item=item, co_sectors=[], left_out_reason=reason, **FIELDS
            )
        message = caught.value.message_dict["co_sectors"][0]
        assert message == CO_SECTOR_LEFT_OUT_NEEDS_REASON % {"departments": "清河县住建局"}
    assert not Case.objects.exists() and not CaseTransition.objects.exists()


def test_unticking_with_a_reason_is_on_the_timeline(county, owner, item):
    result = case_raise(
        actor=owner, township=county.township_a, item=item, co_sectors=[], left_out_reason="不涉及房屋安全", **FIELDS
    )
    assert [a.department for a in result.assignments] == [county.agriculture]
    step = result.case.transitions.get(action=TransitionAction.LEFT_OUT)
    assert (step.actor, step.reason, step.assignment) == (owner, "清河县住建局：不涉及房屋安全", None)


def test_a_sector_the_county_has_no_department_for_is_not_required(county, owner):
    item = CoordinationItemFactory(co_sectors=[Sector.WATER, Sector.HOUSING_CONSTRUCTION])
    result = case_raise(
        actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION], **FIELDS
    )
    assert [a.department for a in result.assignments] == [county.agriculture, county.housing]


def test_the_raise_form_asks_for_the_reason(client, county, owner, item):
    client.force_login(owner)
    data = {"township": county.township_a.pk, "item": item.pk, "priority": "normal", **FIELDS}
    refused = client.post(reverse("admin:cases_case_add"), data)
    assert refused.status_code == 200 and "清河县住建局" in str(refused.context["form"].errors["co_sectors"])
    assert not Case.objects.exists()
    page = client.get(reverse("admin:cases_case_add")).content.decode()
    assert 'name="left_out_reason"' in page and "item-co-sectors" in page
    done = client.post(reverse("admin:cases_case_add"), {**data, "left_out_reason": "住建部门已在现场"})
    case = Case.objects.get()
    assert done.status_code == 302
    timeline = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "住建部门已在现场" in timeline
