"""The three catalogues: imported by the city administrator, keyed by item code, bulk-written with history."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from governance.models import (
    CoordinationItem,
    EnforcementCategory,
    EnforcementItem,
    HandlingMode,
    ImportJobStatus,
    Sector,
    ServiceItem,
    ServiceLevel,
)
from governance.models.catalogues import PROMISED_OVER_STATUTORY
from governance.spreadsheets.services import import_job_confirm, import_job_create
from tests.spreadsheets.sheets import csv_bytes, upload, xlsx_bytes

SERVICE_HEAD = ["事项编码", "事项名称", "办理层级", "行业领域", "设定依据", "办理方式", "法定时限", "承诺时限"]
SERVICE_ROWS = [
    SERVICE_HEAD,
    ["FW-001", "农村村民宅基地申请审批", "乡镇", "农业农村", "《土地管理法》", "乡镇受理办结", "20", "10"],
    ["fw-002 ", "高龄津贴申领", "村", "民政", "", "村级受理乡镇办结", "１５", "5"],
]


def _import(user, key, rows, name="items.xlsx"):
    content = xlsx_bytes(rows) if name.endswith("xlsx") else csv_bytes(rows, encoding="gb18030")
    return import_job_create(user=user, resource_key=key, upload=upload(name, content))


def test_service_items_are_created_then_unchanged(county, city_admin):
    job = import_job_confirm(job=_import(city_admin, "serviceitem", SERVICE_ROWS), user=city_admin)
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 2)
    item = ServiceItem.objects.get(code="FW-002")
    assert (item.level, item.handling_mode, item.sector, item.statutory_limit_days) == (
        ServiceLevel.VILLAGE,
        HandlingMode.VILLAGE_TO_TOWNSHIP,
        Sector.CIVIL_AFFAIRS,
        15,
    )
    assert item.history.count() == 1 and item.history.first().history_user == city_admin

    again = import_job_confirm(job=_import(city_admin, "serviceitem", SERVICE_ROWS, "again.csv"), user=city_admin)
    assert (again.unchanged_count, again.created_count, again.updated_count) == (2, 0, 0)
    assert item.history.count() == 1


def test_service_item_update_keeps_history(county, city_admin):
    import_job_confirm(job=_import(city_admin, "serviceitem", SERVICE_ROWS), user=city_admin)
    rows = [SERVICE_HEAD, [*SERVICE_ROWS[1][:7], "8"]]
    job = import_job_confirm(job=_import(city_admin, "serviceitem", rows), user=city_admin)
    assert job.updated_count == 1
    item = ServiceItem.objects.get(code="FW-001")
    assert item.promised_limit_days == 8 and item.history.count() == 2


def test_the_models_rules_are_row_errors(county, city_admin):
    rows = [SERVICE_HEAD, ["FW-003", "某事项", "乡镇", "农业", "", "村级受理办结", "5", "10"]]
    job = _import(city_admin, "serviceitem", rows)
    assert job.status == ImportJobStatus.REJECTED
    errors = job.preview[0][2]
    assert f"【承诺时限】{PROMISED_OVER_STATUTORY}" in errors and "【办理方式】" in errors
    assert not ServiceItem.objects.exists()


def test_enforcement_items_with_clerk_dates(county, city_admin):
    head = ["事项编码", "事项名称", "执法类别", "实施依据", "原行业领域", "生效日期", "失效日期"]
    rows = [
        head,
        ["ZF-001", "对违法占用耕地建房的处罚", "行政处罚", "", "自然资源", "2026年1月1日", ""],
        ["ZF-002", "对乱倒垃圾的处罚", "行政处罚", "", "城管", datetime.date(2026, 2, 1), "20261231"],
        ["ZF-003", "某检查", "行政检查", "", "应急", "2026/3/1", "2026/2/1"],
    ]
    job = _import(city_admin, "enforcementitem", rows)
    assert job.error_count == 1 and job.preview[2][2].startswith("【失效日期】")
    rows.pop()
    job = import_job_confirm(job=_import(city_admin, "enforcementitem", rows), user=city_admin)
    assert job.created_count == 2
    item = EnforcementItem.objects.get(code="ZF-002")
    assert (item.category, item.effective_from, item.effective_to) == (
        EnforcementCategory.PENALTY,
        datetime.date(2026, 2, 1),
        datetime.date(2026, 12, 31),
    )


def test_coordination_items_with_a_list_of_co_sectors(county, city_admin):
    head = ["事项编码", "事项名称", "牵头行业领域", "配合行业领域", "乡镇职责", "工作流程", "人员经费保障", "启用"]
    rows = [head, ["XT-001", "农村人居环境整治", "农业农村", "住建、生态环境", "巡查", "", "", "是"]]
    job = import_job_confirm(job=_import(city_admin, "coordinationitem", rows), user=city_admin)
    assert job.created_count == 1
    item = CoordinationItem.objects.get()
    assert item.co_sectors == [Sector.HOUSING_CONSTRUCTION, Sector.ECOLOGY_ENVIRONMENT] and item.active
    bad = [head, ["XT-002", "某事项", "农业农村", "农业农村", "", "", "", ""]]
    assert _import(city_admin, "coordinationitem", bad).status == ImportJobStatus.REJECTED


@pytest.mark.parametrize("key", ["serviceitem", "enforcementitem", "coordinationitem"])
def test_only_the_city_administrator_imports_catalogues(county, colleague, key):
    with pytest.raises(PermissionDenied):
        _import(colleague, key, SERVICE_ROWS)


def test_catalogue_export_from_the_admin(client, county, city_admin):
    import_job_confirm(job=_import(city_admin, "serviceitem", SERVICE_ROWS), user=city_admin)
    client.force_login(city_admin)
    response = client.get(reverse("admin:governance_serviceitem_export") + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == SERVICE_HEAD
    assert rows[1] == [
        "FW-001",
        "农村村民宅基地申请审批",
        "乡镇",
        "农业农村",
        "《土地管理法》",
        "乡镇受理办结",
        "20",
        "10",
    ]
    changelist = client.get(reverse("admin:governance_serviceitem_changelist")).content.decode()
    assert reverse("admin:governance_serviceitem_import") in changelist


def test_an_end_date_of_9999_12_31_is_refused_with_a_message(county, city_admin):
    """Clerks often write 9999-12-31 for "no end"; the template says to leave it empty instead."""
    from governance.dates import DATE_OUT_OF_RANGE

    head = ["事项编码", "事项名称", "执法类别", "实施依据", "原行业领域", "生效日期", "失效日期"]
    rows = [head, ["ZF-009", "对违法占用耕地建房的处罚", "行政处罚", "", "自然资源", "2026-01-01", "9999-12-31"]]
    job = _import(city_admin, "enforcementitem", rows)
    assert job.preview[0][2] == "【失效日期】" + str(DATE_OUT_OF_RANGE % {"date": datetime.date(9999, 12, 31)})
    assert not EnforcementItem.objects.exists()
