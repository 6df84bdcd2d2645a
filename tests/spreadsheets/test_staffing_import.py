"""Cadres, secondments and assessment grades through the importer, with staffing's own rules."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from governance.models import ImportJobStatus
from governance.roles import Role
from governance.spreadsheets import resources as sheet_resources
from governance.spreadsheets.services import import_job_confirm, import_job_create
from staffing import services as staffing_services
from staffing.idnumbers import ID_NUMBER_BIRTH_DATE_MISMATCH, ID_NUMBER_GENDER_MISMATCH, mask_id_number
from staffing.models import SECONDMENT_ONE_IN_FORCE, Assessment, Cadre, Grade, Rank, Secondment
from staffing.resources import stdnum_fast_paths
from tests.conftest import user_with_role
from tests.factories.staffing import CadreFactory, SecondmentFactory, id_number
from tests.spreadsheets.sheets import csv_bytes, upload, xlsx_bytes
from tests.staffing.conftest import open_cycle

CADRE_HEAD = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "联系电话",
    "政治面貌",
    "学历",
    "编制单位",
    "现任职务",
    "人员类别",
    "职级",
    "领导职务层次",
]


def _import(user, key, rows, name="sheet.xlsx"):
    content = xlsx_bytes(rows) if name.endswith("xlsx") else csv_bytes(rows, encoding="gb18030")
    return import_job_create(user=user, resource_key=key, upload=upload(name, content))


def _cadre_row(n, unit="城关镇", **changes):
    number = id_number(n)
    row = {
        "姓名": f"干部{n}",
        "身份证号": number,
        "性别": "",
        "出生日期": "",
        "联系电话": f"1380000{n:04d}",
        "政治面貌": "中共党员",
        "学历": "本科",
        "编制单位": unit,
        "现任职务": "科员",
        "人员类别": "公务员",
        "职级": "一级科员",
        "领导职务层次": "",
    }
    row.update(changes)
    return [row[header] for header in CADRE_HEAD]


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


@pytest.fixture
def agri_officer(county):
    return user_with_role("agri_officer", Role.DEPARTMENT_OFFICER, county.agriculture)


# --- cadres ---


def test_a_clerk_imports_the_townships_cadres_as_typed(county, owner):
    number = id_number(1)
    typed = f" {number[:-1]}{number[-1].lower()} " if number[-1] == "X" else f"{number[:6]} {number[6:]}"
    birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    rows = [
        CADRE_HEAD,
        _cadre_row(1, 身份证号=typed, 出生日期=birth.strftime("%Y年%-m月%-d日"), 性别="男"),
        _cadre_row(2, 职级="副科级", 学历="大专"),
    ]
    job = import_job_confirm(job=_import(owner, "cadre", rows), user=owner)
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 2), job.preview
    cadre = Cadre.objects.get(id_number=number)
    assert (cadre.home_unit, cadre.birth_date, cadre.gender) == (county.township_a, birth, "male")
    second = Cadre.objects.get(id_number=id_number(2))
    assert (second.rank, second.gender) == (Rank.DEPUTY_SECTION, "male")  # gender filled from the ID number
    created = cadre.history.get()  # the bulk writer's "created" row, as save() would have made it
    assert (created.history_user, created.history_type) == (owner, "+")
    assert (created.name, created.id_number, created.home_unit_id, created.birth_date) == (
        cadre.name,
        cadre.id_number,
        cadre.home_unit_id,
        cadre.birth_date,
    )

    again = import_job_confirm(job=_import(owner, "cadre", rows, "again.csv"), user=owner)
    assert (again.unchanged_count, again.created_count, again.updated_count) == (2, 0, 0)


def test_gender_and_birth_date_must_agree_with_the_id_number(county, owner):
    rows = [CADRE_HEAD, _cadre_row(1, 性别="女"), _cadre_row(2, 出生日期="1970-01-01")]
    job = _import(owner, "cadre", rows)
    assert job.status == ImportJobStatus.REJECTED
    assert job.preview[0][2] == f"【性别】{ID_NUMBER_GENDER_MISMATCH}"
    assert job.preview[1][2].startswith("【出生日期】") and str(ID_NUMBER_BIRTH_DATE_MISMATCH)[:10] in job.preview[1][2]
    assert not Cadre.objects.exists()


def test_a_wrong_check_digit_and_an_id_number_excel_turned_into_a_number(county, owner):
    wrong = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    rows = [CADRE_HEAD, _cadre_row(1, 身份证号=wrong), _cadre_row(2, 身份证号=float(id_number(2)[:17] + "0"))]
    job = _import(owner, "cadre", rows)
    assert "【身份证号】" in job.preview[0][2] and wrong in job.preview[0][2]
    assert job.preview[1][2] == f"【身份证号】{sheet_resources.normalise.NUMBER_STORED_AS_NUMBER}"


def test_a_clerk_cannot_import_cadres_into_the_neighbouring_township(county, owner):
    rows = [CADRE_HEAD, _cadre_row(1), _cadre_row(2, unit="柳林镇")]
    job = _import(owner, "cadre", rows)
    assert job.status == ImportJobStatus.REJECTED
    assert job.preview[1][2] == f"【编制单位】{staffing_services.CADRE_OUTSIDE_SCOPE}"
    assert not Cadre.objects.exists()


def test_a_neighbouring_cadre_cannot_be_changed_through_its_id_number(county, owner):
    theirs = CadreFactory(home_unit=county.township_b, name="柳林干部")
    rows = [CADRE_HEAD, [*_cadre_row(1)[:1], theirs.id_number, *_cadre_row(1)[2:]]]
    job = _import(owner, "cadre", rows)
    assert job.preview[0][2] == f"【身份证号】{sheet_resources.CADRE_ELSEWHERE}"
    theirs.refresh_from_db()
    assert (theirs.name, theirs.home_unit) == ("柳林干部", county.township_b)


def test_cadre_export_masks_personal_information_unless_permitted(client, county, owner, organiser):
    cadre = CadreFactory(home_unit=county.township_a, phone="13812345678")
    for user, masked in ((owner, True), (organiser, False)):
        client.force_login(user)
        response = client.get(reverse("admin:staffing_cadre_export") + "?format=csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert rows[0] == CADRE_HEAD
        expected = mask_id_number(cadre.id_number) if masked else cadre.id_number
        assert rows[1][1] == expected and rows[1][4] == ("138****5678" if masked else "13812345678")


def test_cadre_export_holds_only_the_users_cadres(client, county, owner, outsider):
    CadreFactory(home_unit=county.township_a, name="城关干部")
    CadreFactory(home_unit=county.township_b, name="柳林干部")
    client.force_login(outsider)
    response = client.get(reverse("admin:staffing_cadre_export") + "?format=csv")
    names = [row[0] for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))]
    assert names == ["姓名", "柳林干部"]


# --- secondments ---

SECONDMENT_HEAD = ["身份证号", "姓名", "派出单位", "派驻单位", "开始日期", "计划结束日期", "派驻岗位"]


def test_the_county_organisation_department_records_secondments_by_spreadsheet(county, organiser):
    cadre = CadreFactory(home_unit=county.agriculture, name="李四")
    rows = [
        SECONDMENT_HEAD,
        [cadre.id_number, "李四", "清河县农业农村局", "城关镇", "2026/3/1", "2027-02-28", "农技员"],
    ]
    job = import_job_confirm(job=_import(organiser, "secondment", rows), user=organiser)
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 1), job.preview
    secondment = Secondment.objects.get()
    assert (secondment.host_unit, secondment.start_date) == (county.township_a, datetime.date(2026, 3, 1))
    assert secondment.transitions.get().actor == organiser

    again = import_job_confirm(job=_import(organiser, "secondment", rows, "again.csv"), user=organiser)
    assert again.unchanged_count == 1 and Secondment.objects.count() == 1


def test_secondment_rows_are_judged_by_staffing_rules(county, organiser, agri_officer):
    cadre = CadreFactory(home_unit=county.agriculture, name="李四")
    unknown = id_number(99)
    rows = [
        SECONDMENT_HEAD,
        [cadre.id_number, "王五", "清河县农业农村局", "城关镇", "2026-03-01", "", "农技员"],
        [unknown, "", "清河县农业农村局", "城关镇", "2026-03-01", "", "农技员"],
        [cadre.id_number, "", "清河县农业农村局", "清河县", "2026-04-01", "", "农技员"],
    ]
    job = _import(organiser, "secondment", rows)
    assert job.preview[0][2] == "【姓名】" + sheet_resources.CADRE_NAME_MISMATCH % {
        "number": cadre.id_number,
        "name": "李四",
        "given": "王五",
    }
    assert job.preview[1][2] == "【身份证号】" + sheet_resources.CADRE_NOT_IN_JURISDICTION % {"number": unknown}
    # Row 4 names the cadre of row 2 again (two new secondments at once) and a county as host.
    assert job.preview[2][2].split("\n") == [
        f"【身份证号】{SECONDMENT_ONE_IN_FORCE}",
        f"【派驻单位】{staffing_services.HOST_NOT_TOWNSHIP}",
    ]

    rows = [SECONDMENT_HEAD, [cadre.id_number, "", "清河县农业农村局", "城关镇", "2026-03-01", "", "农技员"]]
    job = _import(user_with_role("agri_clerk", Role.COUNTY_ORGANISATION, county.county), "secondment", rows)
    assert job.status == ImportJobStatus.PREVIEW
    agri_officer.user_permissions.add(*Permission.objects.filter(codename="import_secondment"))
    job = _import(agri_officer, "secondment", rows)
    assert job.preview[0][2] == f"【—】{staffing_services.SECONDMENT_RECORD_NOT_PERMITTED}"
    assert not Secondment.objects.exists()


def test_two_new_secondments_of_one_cadre_in_a_file(county, organiser):
    cadre = CadreFactory(home_unit=county.agriculture)
    rows = [
        SECONDMENT_HEAD,
        [cadre.id_number, "", "清河县农业农村局", "城关镇", "2026-03-01", "", "农技员"],
        [cadre.id_number, "", "清河县农业农村局", "柳林镇", "2026-05-01", "", "农技员"],
    ]
    job = _import(organiser, "secondment", rows)
    assert job.error_count == 1 and "【身份证号】" in job.preview[1][2]


# --- assessment grades (drafts) ---

ASSESSMENT_HEAD = ["考核周期", "身份证号", "等次", "分数", "评语"]


@pytest.fixture
def drafts(county, colleague):
    secondments = [SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a) for _ in range(2)]
    cycle = open_cycle(colleague, county.township_a, name="2026年度")
    return cycle, secondments


def test_a_clerk_fills_a_cycles_grades(county, owner, drafts):
    _cycle, secondments = drafts
    rows = [
        ASSESSMENT_HEAD,
        ["2026年度", secondments[0].cadre.id_number, "优秀", "95.5", "实绩突出"],
        ["2026年度", secondments[1].cadre.id_number, "基本称职", 70, ""],
    ]
    job = import_job_confirm(job=_import(owner, "assessment", rows), user=owner)
    assert (job.status, job.updated_count) == (ImportJobStatus.DONE, 2), job.preview
    first = Assessment.objects.get(secondment=secondments[0])
    assert (first.grade, str(first.score), first.comments, first.drafted_by) == (
        Grade.EXCELLENT,
        "95.5",
        "实绩突出",
        owner,
    )
    again = import_job_confirm(job=_import(owner, "assessment", rows, "again.csv"), user=owner)
    assert again.unchanged_count == 2


def test_the_masked_export_comes_back_as_an_import(client, county, owner, drafts):
    client.force_login(owner)
    response = client.get(reverse("admin:staffing_assessment_export") + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ASSESSMENT_HEAD and "*" in rows[1][1]
    for row in rows[1:]:
        row[2] = "称职"
    job = import_job_confirm(job=_import(owner, "assessment", rows, "graded.csv"), user=owner)
    assert job.updated_count == 2
    assert set(Assessment.objects.values_list("grade", flat=True)) == {Grade.COMPETENT}


def test_grades_of_another_township_or_a_submitted_assessment_are_refused(county, owner, outsider, drafts):
    _cycle, secondments = drafts
    row = ["2026年度", secondments[0].cadre.id_number, "称职", "", ""]
    job = _import(outsider, "assessment", [ASSESSMENT_HEAD, row])
    assert job.preview[0][2] == "【考核周期】" + sheet_resources.CYCLE_UNKNOWN % {"value": "2026年度"}

    assessment = Assessment.objects.get(secondment=secondments[0])
    staffing_services.assessment_draft(
        actor=owner, assessment=assessment, grade=Grade.COMPETENT, score=None, comments=""
    )
    staffing_services.assessment_submit(actor=owner, assessment=assessment)
    job = _import(
        owner, "assessment", [ASSESSMENT_HEAD, row, ["2027年度", secondments[1].cadre.id_number, "称职", "", ""]]
    )
    assert "【—】" in job.preview[0][2] and job.status == ImportJobStatus.REJECTED
    assert job.preview[1][2] == "【考核周期】" + sheet_resources.CYCLE_UNKNOWN % {"value": "2027年度"}


# --- queries do not grow with the rows ---


def _queries_to_preview(user, rows) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = type(user).objects.get(pk=user.pk)  # no permission caches carried from the other run
    with CaptureQueriesContext(connection) as captured:
        job = _import(user, "cadre", rows)
    assert job.status == ImportJobStatus.PREVIEW, job.preview
    return len(captured.captured_queries)


def test_judging_a_file_costs_the_same_queries_for_5_or_60_rows(county, owner):
    few = _queries_to_preview(owner, [CADRE_HEAD] + [_cadre_row(n) for n in range(5)])
    many = _queries_to_preview(owner, [CADRE_HEAD] + [_cadre_row(n) for n in range(100, 160)])
    assert few == many


def test_export_costs_the_same_queries_for_2_or_40_cadres(client, county, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    counts = []
    for total in (2, 40):
        CadreFactory.create_batch(total - Cadre.objects.count(), home_unit=county.township_a)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("admin:staffing_cadre_export") + "?format=csv")
            lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert len(lines) == total + 1
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "typed",
    ["41010219830101001X", "41010219830101001x", " 410102 19830101001X ", "４１０１０２１９８３０１０１００１Ｘ", "12"],
)
def test_stdnum_fast_paths_change_no_answer(typed):
    from stdnum.cn import ric

    stdnum_fast_paths()
    assert ric.compact(typed) == ric.compact.__wrapped__(typed)  # stdnum's own, unwrapped


# --- issue 10: a real county's roll, and every error of a row at once ---


def _person(region, birth, sequence):
    from staffing.idnumbers import id_number_compose

    return id_number_compose(region, birth, sequence)


def test_a_real_countys_roll_imports_with_todays_ranks_and_people_born_in_the_1960s(county, organiser):
    """Ranks in today's words, the pre-2019 names for older records, 参公 and 事业编制 staff,
    leadership levels, units by code, people registered under codes that started after their birth."""
    people = [
        # name, region, birth, sequence, category, rank, leadership level, unit, status, education
        ("王秀英", "410102", datetime.date(1965, 3, 8), 204, "公务员", "二级调研员", "乡科级正职", "419921100000"),
        ("李建国", "411702", datetime.date(1971, 10, 1), 17, "公务员", "一级主任科员", "乡科级副职", "419921101000"),
        ("赵卫东", "412723", datetime.date(1968, 5, 20), 33, "参照公务员法管理", "四级主任科员", "", "419921100000"),
        ("陈红霞", "410184", datetime.date(1976, 12, 30), 8, "参公", "一级科员", "", county.agriculture.code),
        ("刘志刚", "410102", datetime.date(1979, 7, 7), 51, "事业编制", "七级职员", "", "419921100000"),
        ("杨丽娟", "410102", datetime.date(1982, 2, 14), 62, "事业编制", "中级", "", "419921101000"),
        ("孙国强", "410102", datetime.date(1962, 9, 9), 95, "公务员", "副科级", "", county.agriculture.code),
        ("周海涛", "410102", datetime.date(1990, 4, 4), 77, "其他", "技术工三级", "", "419921100000"),
    ]
    rows = [CADRE_HEAD]
    for n, (name, region, birth, sequence, category, rank, level, unit) in enumerate(people):
        number = _person(region, birth, sequence)
        row = _cadre_row(n, unit=unit, 姓名=name, 身份证号=number, 人员类别=category, 职级=rank, 领导职务层次=level)
        rows.append(row)
    rows[4][CADRE_HEAD.index("政治面貌")] = "民主党派"  # synonym of 民主党派成员
    rows[6][CADRE_HEAD.index("学历")] = "中专"  # synonym of 中专及高中
    job = import_job_confirm(job=_import(organiser, "cadre", rows), user=organiser)
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 8), job.preview

    oldest = Cadre.objects.get(name="王秀英")
    assert (oldest.birth_date, oldest.gender, oldest.rank, oldest.leadership_level) == (
        datetime.date(1965, 3, 8),
        "female",
        Rank.RESEARCHER_2,
        "township_head",
    )
    assert Cadre.objects.get(name="陈红霞").staff_category == "referenced"
    assert Cadre.objects.get(name="陈红霞").political_status == "democratic_party"
    assert (Cadre.objects.get(name="刘志刚").staff_category, Cadre.objects.get(name="刘志刚").rank) == (
        "institution",
        Rank.MANAGER_7,
    )
    assert Cadre.objects.get(name="杨丽娟").education == "secondary"
    assert Cadre.objects.get(name="孙国强").rank == Rank.DEPUTY_SECTION  # kept as written, not mapped


def test_every_error_of_a_row_is_listed_at_once_and_in_the_failed_rows_file(county, owner):
    from openpyxl import load_workbook

    from governance.spreadsheets.importer import ERROR_COLUMN
    from staffing.idnumbers import ID_NUMBER_CHECK_DIGIT
    from staffing.phones import PHONE_INVALID

    number = id_number(1)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    bad = _cadre_row(1, unit="柳林镇", 身份证号=wrong, 职级="科长", 联系电话="12345", 性别="男人")
    rows = [CADRE_HEAD, bad, _cadre_row(2)]
    job = _import(owner, "cadre", rows)
    assert job.status == ImportJobStatus.REJECTED and job.error_count == 1
    number_row, outcome, reasons, name = job.preview[0]
    assert (number_row, outcome, name) == (2, "error", "干部1")
    assert reasons.split("\n") == [  # in the columns' order, left to right
        "【身份证号】" + str(ID_NUMBER_CHECK_DIGIT % {"number": wrong}),
        "【性别】" + str(sheet_resources.normalise.NOT_A_CHOICE % {"value": "男人", "choices": "男、女"}),
        "【联系电话】" + str(PHONE_INVALID),
        "【编制单位】" + str(staffing_services.CADRE_OUTSIDE_SCOPE),
        "【职级】" + reasons.split("\n")[4].removeprefix("【职级】"),
    ]
    assert "“科长”" in reasons.split("\n")[4] and "一级科员" in reasons.split("\n")[4]
    assert "。；【" not in reasons

    failed = list(load_workbook(io.BytesIO(job.error_file.read())).active.values)
    assert failed[0][-1] == ERROR_COLUMN and failed[1][0] == "干部1"
    assert failed[1][-1] == reasons


def test_a_rank_outside_the_staff_category_names_the_categorys_ranks(county, owner):
    from staffing.models import RANK_NOT_OF_CATEGORY

    rows = [CADRE_HEAD, _cadre_row(1, 人员类别="事业编制", 职级="一级科员", 领导职务层次="乡科级副职")]
    job = _import(owner, "cadre", rows)
    reasons = job.preview[0][2].split("\n")
    assert reasons[0].startswith("【职级】" + str(RANK_NOT_OF_CATEGORY).split("“")[0]) and "七级职员" in reasons[0]
    assert reasons[1].startswith("【领导职务层次】")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"出生日期": "2999-01-01"}, "【出生日期】"),
        ({"身份证号": id_number(1) + "1"}, "【身份证号】"),
    ],
)
def test_impossible_dates_and_a_19_character_number_get_messages(county, owner, changes, expected):
    from staffing.idnumbers import BIRTH_DATE_OUT_OF_RANGE, ID_NUMBER_FORMAT

    job = _import(owner, "cadre", [CADRE_HEAD, _cadre_row(1, **changes)])
    reasons = job.preview[0][2].split("\n")
    assert job.status == ImportJobStatus.REJECTED and all(reason.startswith(expected) for reason in reasons)
    if "出生日期" in changes:
        assert reasons[0] == expected + str(BIRTH_DATE_OUT_OF_RANGE % {"birth_date": datetime.date(2999, 1, 1)})
    else:
        assert reasons == [expected + str(ID_NUMBER_FORMAT)]


def test_a_secondment_ending_in_9999_is_refused_with_a_message(county, organiser):
    from governance.dates import DATE_OUT_OF_RANGE

    cadre = CadreFactory(home_unit=county.agriculture, name="李四")
    rows = [
        SECONDMENT_HEAD,
        [cadre.id_number, "李四", "清河县农业农村局", "城关镇", "2026-03-01", "9999-12-31", "农技员"],
    ]
    job = _import(organiser, "secondment", rows)
    assert job.preview[0][2] == "【计划结束日期】" + str(DATE_OUT_OF_RANGE % {"date": datetime.date(9999, 12, 31)})
    assert job.preview[0][3] == "李四"
    assert not Secondment.objects.exists()


def test_the_old_phone_header_still_reads(county, owner):
    head = ["手机号" if header == "联系电话" else header for header in CADRE_HEAD]
    job = _import(owner, "cadre", [head, _cadre_row(1)])
    assert job.status == ImportJobStatus.PREVIEW, job.preview


def test_the_cadre_forms_labels_read_as_the_sheets_headers():
    from django.utils import translation

    from staffing.resources import CadreSheet

    with translation.override("zh-hans"):
        for column in CadreSheet.columns:
            assert str(Cadre._meta.get_field(column.field).verbose_name) == column.header
    with translation.override("en"):
        assert str(Cadre._meta.get_field("id_number").verbose_name) == "resident ID number"
