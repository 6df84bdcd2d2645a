"""Village two-committee members through the importer (issue 15 item 1): the cadres' ID-number rules,
columns in any order, a village of another township refused with the rule's message, nothing written."""

import pytest

from governance.models import ImportJobStatus
from governance.spreadsheets.services import import_job_confirm, import_job_create
from staffing.people.village_committees import VillageMember
from tests.factories.staffing import id_number
from tests.spreadsheets.sheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEAD = ["职务", "所在村（社区）", "身份证号", "姓名", "政治面貌", "学历", "任期开始"]


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def _import(user, rows):
    return import_job_create(user=user, resource_key="villagemember", upload=upload("两委.xlsx", xlsx_bytes(rows)))


def test_a_clerk_imports_the_villages_two_committees(county, owner):
    job = _import(
        owner,
        [
            HEAD,
            ["党支部书记", "东关村", id_number(60), "王建华", "中共党员", "高中", "2021-03-01"],
            ["村委会主任", "东关村", id_number(61), "李秀英", "群众", "大专", "2021-03-01"],
        ],
    )
    assert job.status == ImportJobStatus.PREVIEW, job.preview
    import_job_confirm(job=job, user=owner)
    member = VillageMember.objects.get(id_number=id_number(60))
    assert (member.post, member.village, member.gender) == ("secretary", county.village_a, "male")


def test_a_village_of_another_township_and_a_bad_number_are_refused_and_nothing_is_written(county, owner):
    job = _import(
        owner,
        [
            HEAD,
            ["党支部书记", "柳林村", id_number(62), "张志刚", "中共党员", "高中", "2021-03-01"],
            ["村委会主任", "东关村", wrong_check_digit(id_number(63)), "刘丽娟", "群众", "大专", "2021-03-01"],
        ],
    )
    assert job.status == ImportJobStatus.REJECTED and job.error_count == 2
    assert not VillageMember.objects.exists()
