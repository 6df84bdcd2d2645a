"""Unannounced inspections (四不两直): a finding raises its case in one step, the case enters
whistle-and-report with its dues and co-handlers, and the inspection shows how its cases ended."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.inspection_services import (
    CASE_FROM_FINDING_PREFIX,
    FINDING_HAS_CASE,
    FINDING_NEEDS_ITEM,
    FINDING_VILLAGE_OUTSIDE,
    INSPECTION_TOWNSHIP_FIXED,
    MAY_NOT_RECORD_INSPECTION,
    finding_case_raise,
    finding_record,
    inspection_outcomes,
    inspection_save,
)
from cases.inspections import Inspection, InspectionFinding
from cases.models import Case, CaseState
from cases.ratings import assignment_rate
from governance.access import role_assign
from governance.roles import Role
from tests.cases.conftest import beijing

pytestmark = pytest.mark.django_db


def _inspection(actor, township, **fields) -> Inspection:
    fields.setdefault("leader", "王建华")
    fields.setdefault("leader_title", "镇党委书记")
    fields.setdefault("date", datetime.date(2026, 3, 2))
    fields.setdefault("places", "东关村村委会、东关村南排水沟")
    fields.setdefault("companions", "镇农业办 李明")
    return inspection_save(actor=actor, inspection=Inspection(township=township, **fields))


def _find(actor, inspection, item, **fields):
    fields.setdefault("title", "东关村南排水沟堵塞")
    fields.setdefault("description", "排水沟淤积约五十米，雨后积水。")
    fields.setdefault("priority", "normal")
    return finding_record(actor=actor, inspection=inspection, item=item, now=beijing(2026, 3, 2, 9), **fields)


def test_a_finding_raises_its_case_with_dues_and_the_items_co_handlers(county, colleague, item):
    inspection = _inspection(colleague, county.township_a)
    result = _find(colleague, inspection, item, village=county.village_a)
    case = result.finding.case
    assert case.township == county.township_a and case.village == county.village_a
    assert case.title == "东关村南排水沟堵塞"
    assert "王建华" in case.description and "2026-03-02" in case.description
    # The item names housing as co-handling: ticked as on a clerk's case.
    assert [a.department for a in result.raised.assignments] == [county.agriculture, county.housing]
    assert result.raised.assignments[0].accept_due == beijing(2026, 3, 3, 17, 30)
    assert Case.objects.get(pk=case.pk).inspection_finding == result.finding


def test_a_finding_without_a_case_can_raise_it_later_once(county, colleague, item):
    inspection = _inspection(colleague, county.township_a)
    finding = _find(colleague, inspection, item, raise_case=False).finding
    assert finding.case is None
    raised = finding_case_raise(actor=colleague, finding=finding).finding.case
    with pytest.raises(ValidationError) as error:
        finding_case_raise(actor=colleague, finding=finding)
    assert error.value.messages == [str(FINDING_HAS_CASE) % {"reference": raised.reference}]
    assert Case.objects.count() == 1


def test_refusals_write_nothing(county, colleague, outsider, item):
    inspection = _inspection(colleague, county.township_a)
    with pytest.raises(ValidationError) as error:
        _inspection(outsider, county.township_a)
    assert error.value.messages == [str(MAY_NOT_RECORD_INSPECTION)]
    with pytest.raises(ValidationError) as error:
        _find(outsider, inspection, item)
    assert error.value.messages == [str(MAY_NOT_RECORD_INSPECTION)]
    with pytest.raises(ValidationError) as error:
        _find(colleague, inspection, item, village=county.village_b)
    assert error.value.message_dict["village"] == [str(FINDING_VILLAGE_OUTSIDE)]
    with pytest.raises(ValidationError) as error:
        _find(colleague, inspection, None)
    assert error.value.message_dict["item"] == [str(FINDING_NEEDS_ITEM)]
    assert Inspection.objects.count() == 1
    assert not InspectionFinding.objects.exists() and not Case.objects.exists()


def test_the_inspection_shows_how_its_cases_ended(county, colleague, agri_officer, housing_officer, item):
    inspection = _inspection(colleague, county.township_a)
    closed = _find(colleague, inspection, item, title="农田灌渠损毁", extra_co_sectors=[]).raised
    _find(colleague, inspection, item, title="村道积水")
    for assignment in closed.assignments:
        officer = agri_officer if assignment.department == county.agriculture else housing_officer
        assignment_accept(actor=officer, assignment=assignment)
        assignment_feedback(actor=officer, assignment=assignment, feedback="已到场")
        assignment_respond(actor=officer, assignment=assignment, response="已修复")
        assignment_rate(actor=colleague, assignment=assignment, rating="satisfied")
    outcomes = inspection_outcomes(inspection=inspection)
    assert [(o.finding.title, o.case.state, o.closed) for o in outcomes] == [
        ("农田灌渠损毁", CaseState.CLOSED, True),
        ("村道积水", CaseState.OPEN, False),
    ]
    assert len(outcomes[0].ratings) == 2 and outcomes[1].ratings == []


def test_the_leader_records_and_raises_in_one_step_through_the_admin(client, county, colleague, item):
    inspection = _inspection(colleague, county.township_a)
    client.force_login(colleague)
    response = client.post(
        reverse("admin:cases_inspection_step", args=[inspection.pk, "finding"]),
        {"title": "王楼村垃圾乱堆", "description": "村口垃圾堆放", "item": item.pk, "priority": "normal",
         "raise_case": "on", "village": county.village_a.pk},
    )  # fmt: skip
    assert response.status_code == 302
    finding = InspectionFinding.objects.get()
    assert finding.case is not None
    page = client.get(reverse("admin:cases_inspection_change", args=[inspection.pk]))
    assert finding.case.reference in page.content.decode()


def test_the_county_sees_findings_and_outcomes_the_neighbour_nothing(client, county, colleague, centre, outsider, item):
    inspection = _inspection(colleague, county.township_a)
    finding = _find(colleague, inspection, item).finding
    client.force_login(centre)
    listed = client.get(reverse("admin:cases_inspectionfinding_changelist"))
    assert finding.case.reference in listed.content.decode()
    assert client.get(reverse("admin:cases_inspectionfinding_changelist"), {"outcome": "open"}).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("admin:cases_inspection_change", args=[inspection.pk])).status_code == 302
    assert client.get(reverse("admin:cases_inspectionfinding_change", args=[finding.pk])).status_code == 302
    refused = client.post(
        reverse("admin:cases_inspection_step", args=[inspection.pk, "finding"]),
        {"title": "x", "description": "x", "item": item.pk, "priority": "normal", "raise_case": "on"},
    )
    assert refused.status_code == 404 and InspectionFinding.objects.count() == 1


def test_the_township_inspected_stays_once_findings_are_recorded(client, county, colleague, item):
    # The supervisor holds both townships: only the findings stop the move.
    role_assign(user=colleague, unit=county.township_b, role=Role.TOWNSHIP_SUPERVISOR)
    inspection = _inspection(colleague, county.township_a)
    _find(colleague, inspection, item, raise_case=False)
    moved = Inspection.objects.get(pk=inspection.pk)
    moved.township = county.township_b
    with pytest.raises(ValidationError) as error:
        inspection_save(actor=colleague, inspection=moved)
    assert error.value.message_dict["township"] == [str(INSPECTION_TOWNSHIP_FIXED)]
    assert Inspection.objects.get(pk=inspection.pk).township == county.township_a
    client.force_login(colleague)
    page = client.get(reverse("admin:cases_inspection_change", args=[inspection.pk]))
    assert page.status_code == 200 and 'name="township"' not in page.content.decode()


def test_an_inspection_without_findings_may_be_corrected(county, colleague):
    inspection = _inspection(colleague, county.township_a)
    inspection.leader = "李国强"
    assert inspection_save(actor=colleague, inspection=inspection).leader == "李国强"


def test_an_implausible_inspection_date_is_refused(county, colleague):
    with pytest.raises(ValidationError) as error:
        _inspection(colleague, county.township_a, date=datetime.date(9999, 12, 31))
    assert "date" in error.value.message_dict and not Inspection.objects.exists()


def test_a_case_raised_from_an_english_session_is_described_in_chinese(county, colleague, item):
    inspection = _inspection(colleague, county.township_a)
    with translation.override("en"):
        case = _find(colleague, inspection, item).finding.case
    with translation.override(settings.LANGUAGE_CODE):
        chinese = str(CASE_FROM_FINDING_PREFIX) % {"leader": "王建华", "date": "2026-03-02"}
    assert not chinese.startswith("Found") and case.description.startswith(chinese)
