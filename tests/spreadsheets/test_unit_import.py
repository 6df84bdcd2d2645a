"""Units through the whole import: preview, all-or-nothing, idempotent, scoped."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from governance.models import ImportJobStatus, Unit
from governance.spreadsheets import importer, resources, services
from governance.spreadsheets.services import import_job_confirm, import_job_create
from tests.factories.governance import VillageFactory
from tests.spreadsheets.conftest import grant
from tests.spreadsheets.sheets import csv_bytes, upload, xlsx_bytes

HEAD = ["单位代码", "单位名称", "单位类型", "上级单位代码", "行业领域", "编制定额", "试点"]
NEW_VILLAGES = [
    HEAD,
    ["419921100002", "北关村", "村", "城关镇", "", "", "否"],
    [" ４１９９２１１０００03 ", " 南关村 ", "村", "419921100000", "", "", "是"],
]


def _import(user, rows, name="units.xlsx", content=None):
    content = content if content is not None else (xlsx_bytes(rows) if name.endswith("xlsx") else csv_bytes(rows))
    return import_job_create(user=user, resource_key="unit", upload=upload(name, content))


def test_preview_writes_nothing_then_confirm_writes_all(county, city_admin):
    job = _import(city_admin, NEW_VILLAGES)
    assert job.status == ImportJobStatus.PREVIEW
    assert job.preview == [[2, "new", "", "北关村"], [3, "new", "", "南关村"]]
    assert not Unit.objects.filter(code__in=["419921100002", "419921100003"]).exists()

    job = import_job_confirm(job=job, user=city_admin)

    assert job.status == ImportJobStatus.DONE and job.created_count == 2
    south = Unit.objects.get(code="419921100003")
    assert (south.name, south.parent, south.pilot, south.path) == (
        "南关村",
        county.township_a,
        True,
        f"{county.township_a.path}419921100003/",
    )
    assert south.history.count() == 1


def test_importing_the_same_file_twice_changes_nothing(county, city_admin):
    import_job_confirm(job=_import(city_admin, NEW_VILLAGES), user=city_admin)
    history = Unit.history.count()

    job = import_job_confirm(job=_import(city_admin, NEW_VILLAGES, name="again.csv"), user=city_admin)

    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == (ImportJobStatus.DONE, 0, 0, 2)
    assert Unit.history.count() == history


def test_a_changed_row_is_an_update(county, city_admin):
    rows = [HEAD, [county.township_a.code, county.township_a.name, "镇", county.county.code, "", "120", "是"]]
    job = import_job_confirm(job=_import(city_admin, rows), user=city_admin)
    assert (job.updated_count, job.preview[0][1]) == (1, "updated")
    county.township_a.refresh_from_db()
    assert (county.township_a.staff_quota, county.township_a.pilot) == (120, True)


def test_a_confirmed_job_cannot_be_confirmed_again(county, city_admin):
    job = import_job_confirm(job=_import(city_admin, NEW_VILLAGES), user=city_admin)
    with pytest.raises(ValidationError) as caught:
        import_job_confirm(job=job, user=city_admin)
    assert caught.value.messages == [str(services.JOB_NOT_AWAITING)]
    assert Unit.objects.filter(code__in=["419921100002", "419921100003"]).count() == 2


def test_only_the_uploader_may_confirm(county, city_admin, owner):
    job = _import(city_admin, NEW_VILLAGES)
    with pytest.raises(PermissionDenied):
        import_job_confirm(job=job, user=grant(owner, "import_unit"))
    assert not Unit.objects.filter(code="419921100002").exists()


def test_one_bad_row_writes_nothing_and_names_row_column_and_reason(county, city_admin):
    rows = [
        HEAD,
        ["419921100002", "北关村", "村", "城关镇", "", "", "否"],
        ["419921100003", "南关村", "小区", "城关镇", "", "", "否"],
        ["419921100004", "西关村", "村", "不存在的镇", "", "", "否"],
        ["", "东街村", "村", "城关镇", "", "", "也许"],
    ]
    job = _import(city_admin, rows)

    assert job.status == ImportJobStatus.REJECTED
    assert (job.created_count, job.error_count) == (1, 3)
    by_row = {number: (outcome, errors) for number, outcome, errors, _name in job.preview}
    assert by_row[2] == ("new", "")
    assert by_row[3][0] == "error" and "【单位类型】“小区”" in by_row[3][1]
    assert by_row[4][1] == "【上级单位代码】" + resources.UNIT_UNKNOWN % {"value": "不存在的镇"}
    assert "【单位代码】" + str(resources.CELL_REQUIRED) in by_row[5][1] and "【试点】" in by_row[5][1]
    assert not Unit.objects.filter(code="419921100002").exists()

    failed = load_workbook(io.BytesIO(job.error_file.read())).active
    values = list(failed.values)
    assert values[0] == (*HEAD, importer.ROW_COLUMN, importer.ERROR_COLUMN)
    assert [(row[1], row[-2]) for row in values[1:]] == [("南关村", 3), ("西关村", 4), ("东街村", 5)]
    assert "小区" in values[1][-1]
    assert values[3][-1].split("\n")[0] == "【单位代码】" + str(resources.CELL_REQUIRED)  # one reason a line


def test_the_failed_rows_file_can_be_fixed_and_uploaded_again(county, city_admin):
    rows = [HEAD, ["419921100002", "北关村", "村庄", "城关镇", "", "", "否"]]
    job = _import(city_admin, rows)
    workbook = load_workbook(io.BytesIO(job.error_file.read()))
    workbook.active["C2"] = "村"
    output = io.BytesIO()
    workbook.save(output)
    fixed = _import(city_admin, None, content=output.getvalue())
    assert fixed.status == ImportJobStatus.PREVIEW and fixed.created_count == 1


def test_a_parent_named_twice_is_ambiguous_and_listed(county, city_admin):
    VillageFactory(parent=county.township_b, name="城关镇村", code="419921101009")
    twin = VillageFactory(parent=county.township_b, name="北关村", code="419921101008")
    VillageFactory(parent=county.township_a, name="北关村", code="419921100008")
    job = _import(city_admin, [HEAD, ["419921100002", "新村", "村", "北关村", "", "", ""]])
    errors = job.preview[0][2]
    assert "北关村（419921100008）" in errors and f"北关村（{twin.code}）" in errors


def test_a_parent_created_earlier_in_the_same_file(county, city_admin):
    rows = [
        HEAD,
        ["419921102001", "新村", "村", "新镇", "", "", ""],
        ["419921102000", "新镇", "镇", "清河县", "", "110", ""],
    ]
    job = import_job_confirm(job=_import(city_admin, rows), user=city_admin)
    assert job.status == ImportJobStatus.DONE
    assert Unit.objects.get(code="419921102001").parent.code == "419921102000"


def test_the_unit_rules_of_the_model_are_row_errors(county, city_admin):
    rows = [HEAD, ["419921100002", "北关村", "村", "清河县", "", "", ""]]
    job = _import(city_admin, rows)
    assert job.status == ImportJobStatus.REJECTED and job.preview[0][2].startswith("【上级单位代码】")


def test_the_same_unit_twice_in_a_file_is_an_error(county, city_admin):
    rows = [HEAD, NEW_VILLAGES[1], NEW_VILLAGES[1]]
    job = _import(city_admin, rows)
    assert job.preview[1][2] == "【单位代码】" + resources.DUPLICATE_IN_FILE % {"key": "单位代码", "row": 2}


def test_english_headers_and_columns_in_any_order_are_accepted(county, city_admin):
    rows = [["name", "Code", "kind", "parent"], ["北关村", "419921100002", "村", "城关镇"]]
    assert _import(city_admin, rows).status == ImportJobStatus.PREVIEW


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["单位代码", "单位名称", "上级单位代码"], importer.HEADER_MISSING % {"columns": "“单位类型”"}),
        (["单位代码", "单位名称", "单位类型", "备注"], importer.HEADER_UNKNOWN % {"columns": "“备注”"}),
        (["单位代码", "单位名称", "单位类型", "code"], importer.HEADER_TWICE % {"column": "“单位代码”"}),
    ],
)
def test_a_wrong_header_refuses_the_file(county, city_admin, headers, message):
    job = _import(city_admin, [headers, ["419921100002"] * len(headers)])
    assert (job.status, job.message) == (ImportJobStatus.REJECTED, message)


def test_without_the_import_permission_nothing_is_stored(county, owner):
    with pytest.raises(PermissionDenied):
        _import(owner, NEW_VILLAGES)


# --- jurisdiction: a township clerk holding the import permission ---


@pytest.fixture
def importing_clerk(owner):
    return grant(owner, "import_unit")


def test_a_clerk_may_add_villages_to_their_own_township(county, importing_clerk):
    job = import_job_confirm(job=_import(importing_clerk, NEW_VILLAGES), user=importing_clerk)
    assert job.status == ImportJobStatus.DONE


def test_a_clerk_cannot_add_a_village_to_the_neighbouring_township(county, importing_clerk):
    rows = [HEAD, NEW_VILLAGES[1], ["419921101002", "柳北村", "村", "柳林镇", "", "", ""]]
    job = _import(importing_clerk, rows)
    assert job.status == ImportJobStatus.REJECTED
    assert job.preview[1][2] == "【上级单位代码】" + resources.OUT_OF_SCOPE % {"unit": "柳林镇"}
    assert not Unit.objects.filter(code__in=["419921100002", "419921101002"]).exists()


@pytest.mark.parametrize("parent", ["柳林镇", "城关镇"])
def test_a_clerk_cannot_change_a_neighbouring_village_by_any_column(county, importing_clerk, parent):
    """Not by renaming it, nor by moving it into the clerk's own township."""
    rows = [HEAD, [county.village_b.code, "改名村", "村", parent, "", "", "是"]]
    job = _import(importing_clerk, rows)
    assert job.preview[0][2] == "【—】" + resources.RECORD_OUT_OF_SCOPE % {"key": county.village_b.code}
    county.village_b.refresh_from_db()
    assert (county.village_b.name, county.village_b.parent, county.village_b.pilot) == (
        "柳林村",
        county.township_b,
        False,
    )


def test_a_clerk_cannot_change_their_own_township_row(county, importing_clerk):
    rows = [HEAD, [county.township_a.code, "城关镇", "镇", "清河县", "", "140", ""]]
    job = _import(importing_clerk, rows)
    assert job.status == ImportJobStatus.REJECTED and "清河县" in job.preview[0][2]


def test_a_rule_broken_while_writing_rejects_the_whole_file(county, city_admin, monkeypatch):
    """Rows are judged again when written; a refusal then (a record changed meanwhile) writes nothing."""
    from governance.resources import UnitSheet

    job = _import(city_admin, NEW_VILLAGES)
    original = UnitSheet.write

    def write_then_refuse(self, created, updated):
        original(self, created, updated)
        raise ValidationError("该记录已被他人修改。")

    monkeypatch.setattr(UnitSheet, "write", write_then_refuse)
    job = import_job_confirm(job=job, user=city_admin)
    assert (job.status, job.message) == (ImportJobStatus.REJECTED, "该记录已被他人修改。")
    assert not Unit.objects.filter(code__in=["419921100002", "419921100003"]).exists()


# --- issue 10: a county with its whole subtree, in any order, gives a tree whose grants work ---

BAIHE = "419922000000"


def _county_file() -> list[list]:
    """白河县 with two departments, two townships and their villages; every parent by code."""
    from tests.factories.governance import credit_code

    return [
        [BAIHE, "白河县", "县", "419900000000", "", "", "是"],
        [credit_code(501, "419922"), "白河县农业农村局", "县直部门", BAIHE, "农业农村", "", ""],
        [credit_code(502, "419922"), "白河县民政局", "县直部门", BAIHE, "民政", "", ""],
        ["419922100000", "白河镇", "镇", BAIHE, "", "120", ""],
        ["419922200000", "青石乡", "乡", BAIHE, "", "", ""],
        ["419922100001", "白河村", "村", "419922100000", "", "", ""],
        ["419922100201", "河滨社区", "社区", "419922100000", "", "", ""],
        ["419922200001", "青石村", "村", "419922200000", "", "", ""],
        ["419922200002", "石门村", "村", "青石乡", "", "", ""],
    ]


@pytest.mark.parametrize("order", ["parents_first", "children_first", "shuffled"])
def test_a_county_file_in_any_order_builds_the_whole_tree(county, city_admin, order):
    import random

    rows = _county_file()
    if order == "children_first":
        rows.reverse()
    elif order == "shuffled":
        random.Random(10).shuffle(rows)
    job = import_job_confirm(job=_import(city_admin, [HEAD, *rows]), user=city_admin)
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 9), job.preview

    baihe = Unit.objects.get(code=BAIHE)
    for code, name, *_rest in rows:
        unit = Unit.objects.get(code=code)
        chain, walker = [], unit
        while walker is not None:
            chain.insert(0, walker.code)
            walker = walker.parent
        assert unit.path == "/" + "/".join(chain) + "/", name
    assert Unit.objects.subtree(baihe).count() == 9


def test_the_counties_organisation_officer_then_imports_its_cadres_by_unit_code(county, city_admin):
    from governance.roles import Role
    from governance.scoping import units_for
    from tests.conftest import user_with_role
    from tests.spreadsheets.test_staffing_import import CADRE_HEAD, _cadre_row

    rows = _county_file()
    rows.reverse()  # villages first, the county last
    assert import_job_confirm(job=_import(city_admin, [HEAD, *rows]), user=city_admin).status == ImportJobStatus.DONE
    baihe = Unit.objects.get(code=BAIHE)
    officer = user_with_role("baihe_org", Role.COUNTY_ORGANISATION, baihe)
    assert set(units_for(officer).values_list("code", flat=True)) == {row[0] for row in rows}

    agriculture = rows[-2][0]
    cadres = [
        CADRE_HEAD,
        _cadre_row(1, unit="419922100000"),
        _cadre_row(2, unit=agriculture),
        _cadre_row(3, unit="青石乡"),
    ]
    job = import_job_create(user=officer, resource_key="cadre", upload=upload("cadres.xlsx", xlsx_bytes(cadres)))
    job = import_job_confirm(job=job, user=officer)
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 3), job.preview
