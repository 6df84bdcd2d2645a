"""The screens of the monthly and quarterly records: written and stepped through the services,
refusals on the form, scoped for the neighbouring township, shown on the annual assessment."""

import pytest

from staffing import periodic
from staffing.models import PeriodicGrade, PeriodicRecord, PeriodicState
from tests.staffing.test_admin import login, step_url, url


def _post(secondment, **fields):
    return {
        "secondment": secondment.pk,
        "year": 2026,
        "period_kind": "month",
        "period": 3,
        "grade": PeriodicGrade.GOOD,
        "attendance_days": 21,
        "leave_days": 1,
        "comments": "工作积极主动。",
        **fields,
    }


@pytest.fixture
def written(client, secondment, owner):
    login(client, owner)
    response = client.post(url("periodicrecord", "add"), _post(secondment))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return PeriodicRecord.objects.get()


def test_the_clerk_writes_and_submits_the_supervisor_approves(client, written, owner, colleague):
    assert (written.drafted_by, written.state) == (owner, PeriodicState.DRAFT)
    client.post(step_url("periodicrecord", written, "submit"))
    login(client, colleague)
    page = client.get(url("periodicrecord", "change", written.pk)).content.decode()
    assert step_url("periodicrecord", written, "approve") in page
    client.post(step_url("periodicrecord", written, "approve"))
    written.refresh_from_db()
    assert (written.state, written.approved_by) == (PeriodicState.APPROVED, colleague)


def test_days_over_the_working_days_are_refused_on_the_form(client, secondment, owner):
    login(client, owner)
    response = client.post(url("periodicrecord", "add"), _post(secondment, attendance_days=22, leave_days=1))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["attendance_days"]
    response = client.post(url("periodicrecord", "add"), _post(secondment, attendance_days=-3))
    assert response.status_code == 200 and not PeriodicRecord.objects.exists()


def test_the_neighbouring_township_sees_and_picks_nothing(client, written, secondment, outsider):
    login(client, outsider)
    assert list(client.get(url("periodicrecord")).context["cl"].result_list) == []
    assert client.get(url("periodicrecord", "change", written.pk)).status_code in (302, 404)
    assert client.get(url("periodicrecord", "history", written.pk)).status_code == 404
    form = client.get(url("periodicrecord", "add")).context["adminform"].form
    assert secondment not in form.fields["secondment"].queryset
    response = client.post(url("periodicrecord", "add"), _post(secondment, period=2, attendance_days=15))
    assert response.status_code == 200 and PeriodicRecord.objects.count() == 1
    assert client.post(step_url("periodicrecord", written, "submit")).status_code in (403, 404)


def test_the_clerk_cannot_approve_by_url(client, written, owner):
    periodic.periodic_record_submit(actor=owner, record=written)
    assert client.post(step_url("periodicrecord", written, "approve")).status_code == 403
    written.refresh_from_db()
    assert written.state == PeriodicState.SUBMITTED


def test_the_sending_department_reads_approved_records_only(client, written, owner, colleague, agri_officer):
    login(client, agri_officer)
    assert list(client.get(url("periodicrecord")).context["cl"].result_list) == []
    periodic.periodic_record_submit(actor=owner, record=written)
    periodic.periodic_record_approve(actor=colleague, record=written)
    assert list(client.get(url("periodicrecord")).context["cl"].result_list) == [written]
    page = client.get(url("periodicrecord", "change", written.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]


def test_the_annual_assessment_shows_the_approved_records_of_its_period(client, written, owner, colleague, assessment):
    login(client, colleague)
    assert 'class="staffing-periodic"' not in client.get(url("assessment", "change", assessment.pk)).content.decode()
    periodic.periodic_record_submit(actor=owner, record=written)
    periodic.periodic_record_approve(actor=colleague, record=written)
    page = client.get(url("assessment", "change", assessment.pk)).content.decode()
    table = page[page.index('class="staffing-periodic"') :]
    assert "工作积极主动。" in table and ">21<" in table


def test_the_home_page_lists_records_awaiting_approval(client, written, owner, colleague):
    from django.urls import reverse

    periodic.periodic_record_submit(actor=owner, record=written)
    login(client, colleague)
    page = client.get(reverse("admin:index")).content.decode()
    assert "待您审批的平时考核记录" in page
    assert "state__exact=submitted" in page
