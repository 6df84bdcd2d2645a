"""Issue 16 item 7: the township's own statutory powers and the party-branch register through the
importer. Any column order, previewed then confirmed; a row for another township's unit refused with
the rule's message and nothing written; a bad value a row error; exported with the same headers."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from cases.branch_pairing import BranchKind, PartyBranch
from cases.branch_services import BRANCH_UNIT_OUTSIDE, VILLAGE_BRANCH_NEEDS_VILLAGE, branch_save
from cases.branch_sheet import BRANCH_KIND
from governance.models import ImportJobStatus, TownshipPower
from governance.power_list import NOT_A_TOWNSHIP, OWN_POWERS_OUTSIDE, township_power_save
from governance.roles import Role
from governance.spreadsheets.normalise import NOT_A_CHOICE
from governance.spreadsheets.services import import_job_confirm, import_job_create
from tests.conftest import user_with_role
from tests.spreadsheets.sheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

POWER_HEAD = ["乡镇（街道）", "事项编码", "权力事项", "法律依据", "责任科室", "对应责任", "是否有效"]
ELECTION = [
    "城关镇",
    "XZ-ZY-002",
    "村民委员会选举的指导",
    "《中华人民共和国村民委员会组织法》第四条",
    "党建工作办公室",
    "依法指导村民委员会换届选举，纠正违法选举行为。",
    "是",
]
PLANNING = [
    "城关镇",
    "XZ-ZY-001",
    "乡镇国民经济和社会发展计划的编制",
    "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》第七十六条",
    "党政综合办公室",
    "按期编制规划并报镇人民代表大会审议，组织实施并接受监督。",
    "",
]
BRANCH_HEAD = ["党支部名称", "支部类别", "所在单位", "支部书记", "党员人数"]


def _import(user, key: str, rows: list[list]):
    with translation.override("zh-hans"):
        return import_job_create(user=user, resource_key=key, upload=upload("名册.xlsx", xlsx_bytes(rows)))


def _reordered(head: list[str], rows: list[list], order: list[int]) -> list[list]:
    return [[row[i] for i in order] for row in [head, *rows]]


def _errors(job) -> dict[int, str]:
    return {number: errors for number, outcome, errors, *_name in job.preview if outcome == "error"}


def _exported(client, model: str) -> list[list[str]]:
    response = client.get(reverse(f"admin:{model}_export") + "?format=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


@pytest.fixture
def neighbour_supervisor(county):
    return user_with_role("neighbour_supervisor", Role.TOWNSHIP_SUPERVISOR, county.township_b)


@pytest.fixture
def org(county):
    return user_with_role("org", Role.COUNTY_ORGANISATION, county.county)


# --- the township's own powers ---


def test_the_supervisor_imports_the_townships_own_powers_in_any_column_order(county, colleague):
    job = _import(colleague, "townshippower", _reordered(POWER_HEAD, [ELECTION, PLANNING], [5, 1, 0, 3, 6, 2, 4]))
    assert (job.status, job.created_count) == (ImportJobStatus.PREVIEW, 2), job.preview
    assert not TownshipPower.objects.exists()  # a preview writes nothing
    import_job_confirm(job=job, user=colleague)
    planning = TownshipPower.objects.get(code="XZ-ZY-001")
    assert (planning.township, planning.office, planning.active) == (county.township_a, "党政综合办公室", True)
    assert planning.history.get().history_user == colleague


def test_a_second_file_updates_the_power_it_names(county, colleague):
    township_power_save(
        actor=colleague,
        power=TownshipPower(
            township=county.township_a,
            code="XZ-ZY-002",
            name="旧名称",
            legal_basis="旧依据",
            office="旧科室",
            responsibility="旧责任",
        ),
    )
    withdrawn = [*ELECTION[:-1], "否"]
    job = _import(colleague, "townshippower", [POWER_HEAD, withdrawn])
    assert (job.created_count, job.updated_count) == (0, 1), job.preview
    import_job_confirm(job=job, user=colleague)
    power = TownshipPower.objects.get()
    assert (power.name, power.active, power.history.count()) == ("村民委员会选举的指导", False, 2)


def test_another_townships_row_and_a_village_are_refused_and_nothing_is_written(county, colleague):
    neighbour = ["柳林镇", *ELECTION[1:]]
    village = ["东关村", *PLANNING[1:]]
    job = _import(colleague, "townshippower", [POWER_HEAD, PLANNING, neighbour, village])
    assert (job.status, job.error_count) == (ImportJobStatus.REJECTED, 2)
    with translation.override("zh-hans"):
        assert _errors(job) == {
            3: f"【乡镇（街道）】{OWN_POWERS_OUTSIDE % {'unit': '柳林镇'}}",
            4: f"【乡镇（街道）】{NOT_A_TOWNSHIP}",
        }
    assert not TownshipPower.objects.exists()


def test_a_bad_value_is_a_row_error(county, colleague):
    job = _import(
        colleague, "townshippower", [POWER_HEAD, [*ELECTION[:-1], "也许"], [*PLANNING[:3], "", *PLANNING[4:]]]
    )
    errors = _errors(job)
    assert job.status == ImportJobStatus.REJECTED and set(errors) == {2, 3}
    assert errors[2].startswith("【是否有效】") and errors[3].startswith("【法律依据】")
    assert not TownshipPower.objects.exists()


def test_only_the_supervisor_imports_the_county_exports_the_neighbour_sees_none(
    client, county, owner, colleague, neighbour_supervisor, org
):
    with pytest.raises(PermissionDenied):
        _import(owner, "townshippower", [POWER_HEAD, ELECTION])  # the clerk keeps no powers
    import_job_confirm(job=_import(colleague, "townshippower", [POWER_HEAD, ELECTION]), user=colleague)
    client.force_login(org)
    rows = _exported(client, "governance_townshippower")
    assert rows == [POWER_HEAD, ELECTION]  # the same headers, read back as written
    client.force_login(neighbour_supervisor)
    assert _exported(client, "governance_townshippower") == [POWER_HEAD]


# --- the party-branch register ---

VILLAGE_BRANCH = ["东关村党支部", "村（社区）党支部", "东关村", "王建华", 23]
OFFICE_BRANCH = ["县农业农村局机关党支部", "机关党支部", "清河县农业农村局", "李秀英", 31]


def test_the_organisation_department_imports_the_register_in_any_column_order(county, org):
    job = _import(org, "partybranch", _reordered(BRANCH_HEAD, [VILLAGE_BRANCH, OFFICE_BRANCH], [4, 2, 0, 3, 1]))
    assert (job.status, job.created_count) == (ImportJobStatus.PREVIEW, 2), job.preview
    import_job_confirm(job=job, user=org)
    village = PartyBranch.objects.get(name="东关村党支部")
    assert (village.kind, village.unit, village.county, village.members) == (
        BranchKind.VILLAGE,
        county.village_a,
        county.county,
        23,
    )
    office = PartyBranch.objects.get(kind=BranchKind.DEPARTMENT)
    assert (office.unit, office.county, office.history.get().history_user) == (county.agriculture, county.county, org)


def test_a_township_imports_its_villages_branches_and_updates_one(county, owner, org):
    branch_save(actor=org, branch=PartyBranch(name="东关村党支部", kind=BranchKind.VILLAGE, unit=county.village_a))
    job = _import(owner, "partybranch", [BRANCH_HEAD, VILLAGE_BRANCH])
    assert (job.status, job.updated_count) == (ImportJobStatus.PREVIEW, 1), job.preview
    import_job_confirm(job=job, user=owner)
    assert PartyBranch.objects.get().secretary == "王建华"


def test_a_township_may_not_import_the_neighbours_or_the_countys_branches(county, owner):
    neighbour = ["柳林村党支部", "村（社区）党支部", "柳林村", "张志刚", 18]
    job = _import(owner, "partybranch", [BRANCH_HEAD, VILLAGE_BRANCH, neighbour, OFFICE_BRANCH])
    assert (job.status, job.error_count) == (ImportJobStatus.REJECTED, 2)
    with translation.override("zh-hans"):
        assert _errors(job) == {
            3: f"【所在单位】{BRANCH_UNIT_OUTSIDE % {'unit': '柳林村'}}",
            4: f"【所在单位】{BRANCH_UNIT_OUTSIDE % {'unit': '清河县农业农村局'}}",
        }
    assert not PartyBranch.objects.exists()


def test_bad_values_are_row_errors(county, org):
    in_township = ["城关镇党支部", "村（社区）党支部", "城关镇", "", ""]
    odd_kind = ["东关村老党员党支部", "协会支部", "东关村", "", ""]
    job = _import(org, "partybranch", [BRANCH_HEAD, in_township, odd_kind, [*VILLAGE_BRANCH[:4], "很多"]])
    errors = _errors(job)
    assert job.status == ImportJobStatus.REJECTED and set(errors) == {2, 3, 4}
    with translation.override("zh-hans"):
        assert errors[2] == f"【所在单位】{VILLAGE_BRANCH_NEEDS_VILLAGE}"
        assert errors[3] == "【支部类别】" + NOT_A_CHOICE % {"value": "协会支部", "choices": BRANCH_KIND.allowed()}
    assert errors[4].startswith("【党员人数】")
    assert not PartyBranch.objects.exists()


def test_the_register_exports_with_the_same_headers_within_the_users_units(client, county, org, owner, outsider):
    import_job_confirm(job=_import(org, "partybranch", [BRANCH_HEAD, VILLAGE_BRANCH, OFFICE_BRANCH]), user=org)
    client.force_login(org)
    rows = _exported(client, "cases_partybranch")
    assert rows[0] == BRANCH_HEAD and sorted(rows[1:]) == sorted(
        [[str(cell) for cell in VILLAGE_BRANCH], [str(cell) for cell in OFFICE_BRANCH]]
    )
    client.force_login(outsider)
    assert _exported(client, "cases_partybranch") == [BRANCH_HEAD]


def test_the_lists_offer_the_sheets_to_their_keepers_with_a_template(client, county, colleague, org, outsider):
    for user, model in ((colleague, "governance_townshippower"), (org, "cases_partybranch")):
        client.force_login(user)
        page = client.get(reverse(f"admin:{model}_changelist")).content.decode()
        assert reverse(f"admin:{model}_import") in page and reverse(f"admin:{model}_export") in page
        assert client.get(reverse(f"admin:{model}_import_template")).status_code == 200
    client.force_login(outsider)  # a township clerk sees the powers but keeps none of them
    assert client.get(reverse("admin:governance_townshippower_import")).status_code == 403
