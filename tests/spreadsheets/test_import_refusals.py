"""Import messages name nothing outside the user's jurisdiction (issue 11.6).

Where a record's existence is itself the secret (a cadre to second, an assessment to grade) a
record outside the jurisdiction gets the very message a record that does not exist gets; other
townships' cycles are not there at all; every such refusal is written to ``ImportRefusal``.
The findings: a secondment preview named a cadre of another county, the cadre import answered
differently for an ID number held elsewhere, and the assessment import told other townships'
cycle names apart from names nobody uses."""

import pytest
from django.urls import reverse

from governance.models import ImportJobStatus, ImportRefusal, RefusalReason, Sector
from governance.roles import Role
from governance.spreadsheets import resources as sheet_resources
from staffing import services as staffing_services
from staffing.models import AssessmentCycle, Cadre, PeriodKind
from tests.conftest import user_with_role
from tests.factories.governance import CountyFactory, DepartmentFactory
from tests.factories.staffing import CadreFactory, SecondmentFactory, id_number
from tests.spreadsheets.test_staffing_import import (
    ASSESSMENT_HEAD,
    CADRE_HEAD,
    SECONDMENT_HEAD,
    _cadre_row,
    _import,
)
from tests.staffing.conftest import open_cycle


@pytest.fixture
def other_county(county):
    other = CountyFactory(parent=county.city, name="外县")
    return other, DepartmentFactory(parent=other, sector=Sector.AGRICULTURE, name="外县农业农村局")


def _reasons(job) -> list[str]:
    return [entry[2] for entry in job.preview if entry[1] == "error"]


def _audit(job) -> list[tuple]:
    return list(job.refusals.order_by("row").values_list("row", "reason", "subject"))


def test_a_cadre_of_another_county_is_to_a_secondment_import_as_no_cadre_at_all(county, other_county):
    organiser = user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)
    theirs = CadreFactory(home_unit=other_county[1], name="外县干部甲")
    unknown = id_number(99)
    rows = [SECONDMENT_HEAD] + [
        [number, "张三", "清河县农业农村局", "城关镇", "2026-03-01", "", "农技员"]
        for number in (theirs.id_number, unknown)
    ]
    job = _import(organiser, "secondment", rows)
    reasons = _reasons(job)
    assert reasons == [
        "【身份证号】" + sheet_resources.CADRE_NOT_IN_JURISDICTION % {"number": number}
        for number in (theirs.id_number, unknown)
    ]
    assert reasons[0].replace(theirs.id_number, unknown) == reasons[1]
    assert "外县" not in str(job.preview)
    assert _audit(job) == [(2, RefusalReason.CADRE_OUTSIDE, theirs.id_number)]  # the unknown one asked about no one


@pytest.mark.parametrize("where", ["neighbouring township", "other county"])
def test_a_cadre_import_names_nothing_of_a_cadre_kept_elsewhere(county, owner, other_county, where):
    home = county.township_b if where == "neighbouring township" else other_county[1]
    theirs = CadreFactory(home_unit=home, name="别处干部")
    rows = [CADRE_HEAD, _cadre_row(1, 身份证号=theirs.id_number), _cadre_row(97)]
    job = _import(owner, "cadre", rows)
    # The number is unique city-wide, so the row cannot be new: it says so, in the same words
    # wherever the cadre is kept, and names neither the cadre nor the unit.
    assert _reasons(job) == [f"【身份证号】{sheet_resources.CADRE_ELSEWHERE}"]
    assert "别处干部" not in str(job.preview) and home.name not in str(job.preview)
    assert _audit(job) == [(2, RefusalReason.CADRE_OUTSIDE, theirs.id_number)]
    theirs.refresh_from_db()
    assert (theirs.name, theirs.home_unit) == ("别处干部", home)
    assert not Cadre.objects.filter(id_number=id_number(97)).exists()


def test_another_townships_cycle_is_unknown_and_its_name_never_ambiguous(county, owner, colleague, outsider):
    theirs_supervisor = user_with_role("their_supervisor", Role.TOWNSHIP_SUPERVISOR, county.township_b)
    SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_b)
    mine = open_cycle(colleague, county.township_a, name="2026年度")
    open_cycle(theirs_supervisor, county.township_b, name="2026年度")  # the same name, another township
    open_cycle(theirs_supervisor, county.township_b, name="柳林镇2026年度")
    number = mine.assessments.get().cadre.id_number
    rows = [
        ASSESSMENT_HEAD,
        ["2026年度", number, "称职", "", ""],
        ["柳林镇2026年度", number, "称职", "", ""],
        ["无此周期", number, "称职", "", ""],
    ]
    job = _import(owner, "assessment", rows)
    assert job.preview[0][1] == "updated"  # "2026年度" is the clerk's own cycle, not an ambiguous name
    assert _reasons(job) == [
        "【考核周期】" + sheet_resources.CYCLE_UNKNOWN % {"value": value} for value in ("柳林镇2026年度", "无此周期")
    ]


def test_an_assessment_of_another_township_in_a_shared_cycle_is_as_none(county, owner, city_admin):
    ours = SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    theirs = SecondmentFactory(sending_unit=county.housing, host_unit=county.township_b)
    cycle = AssessmentCycle(name="2026年度", period_kind=PeriodKind.YEAR, year=2026)
    staffing_services.cycle_open(actor=city_admin, cycle=cycle, host_units=[county.township_a, county.township_b])
    unknown = id_number(98)
    rows = [ASSESSMENT_HEAD] + [
        ["2026年度", n, "称职", "", ""] for n in (ours.cadre.id_number, theirs.cadre.id_number, unknown)
    ]
    job = _import(owner, "assessment", rows)
    assert job.status == ImportJobStatus.REJECTED and job.preview[0][1] == "updated"
    assert _reasons(job) == [
        "【身份证号】" + sheet_resources.ASSESSMENT_UNKNOWN % {"cycle": "2026年度", "number": number}
        for number in (theirs.cadre.id_number, unknown)
    ]
    assert _audit(job) == [(3, RefusalReason.ASSESSMENT_OUTSIDE, theirs.cadre.id_number)]


def test_the_audit_is_read_by_the_city_administrator_only(client, county, owner, city_admin):
    theirs = CadreFactory(home_unit=county.township_b)
    job = _import(owner, "cadre", [CADRE_HEAD, _cadre_row(1, 身份证号=theirs.id_number)])
    refusal = ImportRefusal.objects.get(job=job)
    url = reverse("admin:governance_importrefusal_changelist")
    client.force_login(owner)
    assert client.get(url).status_code == 403
    client.force_login(city_admin)
    page = client.get(url).content.decode()
    assert theirs.id_number in page and "owner" in page
    assert client.get(reverse("admin:governance_importrefusal_change", args=[refusal.pk])).status_code == 200
    assert client.post(reverse("admin:governance_importrefusal_delete", args=[refusal.pk])).status_code == 403
