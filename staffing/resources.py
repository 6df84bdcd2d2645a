"""Spreadsheet resources of the staffing app: cadres, secondments and assessment grades (drafts).

The rules are staffing's own: a cadre row is judged by ``Cadre.full_clean`` (which asks
``staffing.idnumbers`` about the ID number, gender and birth date), a secondment row by
``staffing.services.secondment_validate`` and written by ``secondment_save``, an assessment
row by ``assessment_draft_check`` and written by ``assessment_draft``. What the importer adds
is doing the look-ups for a whole file at once and the jurisdiction check per row.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from governance.models import RefusalReason, UnitKind, UnitLevel
from governance.roles import Capability
from governance.spreadsheets import normalise
from governance.spreadsheets.bulk import insert_with_history
from governance.spreadsheets.resources import (
    ASSESSMENT_AMBIGUOUS,
    ASSESSMENT_UNKNOWN,
    CADRE_ELSEWHERE,
    CADRE_NAME_MISMATCH,
    CADRE_NOT_IN_JURISDICTION,
    CYCLE_AMBIGUOUS,
    CYCLE_UNKNOWN,
    RECORD_OUT_OF_SCOPE,
    Column,
    Outcome,
    Row,
    SheetResource,
    UnitLookup,
    new_instance,
    rows_matching,
)
from staffing.idnumbers import mask_id_number, mask_phone
from staffing.models import (
    SECONDMENT_ONE_IN_FORCE,
    Assessment,
    AssessmentCycle,
    AssessmentState,
    Cadre,
    CycleState,
    Education,
    GenderChoice,
    Grade,
    PoliticalStatus,
    Secondment,
)
from staffing.ranks import (
    CATEGORY_WORDS,
    LEADERSHIP_WORDS,
    RANK_WORDS,
    LeadershipLevel,
    Rank,
    StaffCategory,
    rank_rule,
)
from staffing.selectors import with_personal_info_visible
from staffing.services import (
    CADRE_OUTSIDE_SCOPE,
    SECONDMENT_ENDED,
    assessment_draft,
    assessment_draft_check,
    secondment_record_check,
    secondment_save,
    secondment_validate,
)

GENDER = normalise.Vocabulary(GenderChoice, {GenderChoice.MALE: ("男",), GenderChoice.FEMALE: ("女",)})
POLITICAL_STATUS = normalise.Vocabulary(
    PoliticalStatus,
    {
        PoliticalStatus.CPC_MEMBER: ("中共党员", "党员"),
        PoliticalStatus.CPC_PROBATIONARY: ("中共预备党员", "预备党员"),
        PoliticalStatus.CYL_MEMBER: ("共青团员", "团员"),
        PoliticalStatus.DEMOCRATIC_PARTY: ("民主党派成员", "民主党派"),
        PoliticalStatus.NON_PARTY: ("群众",),
    },
)
EDUCATION = normalise.Vocabulary(
    Education,
    {
        Education.POSTGRADUATE: ("研究生", "硕士研究生", "博士研究生"),
        Education.BACHELOR: ("大学本科", "本科"),
        Education.JUNIOR_COLLEGE: ("大学专科", "大专", "专科"),
        Education.SECONDARY: ("中专及高中", "中专", "高中", "中专及以下", "高中及以下"),
        Education.OTHER: ("其他",),
    },
)
STAFF_CATEGORY = normalise.Vocabulary(StaffCategory, CATEGORY_WORDS)
RANK = normalise.Vocabulary(Rank, RANK_WORDS)
LEADERSHIP_LEVEL = normalise.Vocabulary(LeadershipLevel, LEADERSHIP_WORDS)
GRADE = normalise.Vocabulary(
    Grade,
    {
        Grade.EXCELLENT: ("优秀",),
        Grade.COMPETENT: ("称职",),
        Grade.BASICALLY_COMPETENT: ("基本称职",),
        Grade.INCOMPETENT: ("不称职",),
    },
)

EDITABLE_STATES = (AssessmentState.DRAFT, AssessmentState.RETURNED)


# What stdnum's ``ric.compact`` returns unchanged: its ``clean`` only folds separators and
# look-alike characters, and upper-cases. The importer's normaliser gives every number this form.
_COMPACT_ID_NUMBER = re.compile(r"[0-9A-Z]{18}")


def stdnum_fast_paths() -> None:
    """A pure step inside python-stdnum weighs on a large cadre import: every ID number is
    cleaned again by each ``ric`` function it passes through (``ric.compact``). An already
    compact number is returned as it is, which is what ``compact`` would return. The checks
    themselves stay stdnum's, called by staffing.idnumbers (which memoises its own area-code
    look-up)."""
    from stdnum.cn import ric

    if not getattr(ric.compact, "passes_compact_numbers", False):
        ric.compact = _compact_passing_compact_numbers(ric.compact)


def _compact_passing_compact_numbers(compact):
    @functools.wraps(compact)
    def wrapper(number):
        if isinstance(number, str) and _COMPACT_ID_NUMBER.fullmatch(number):
            return number
        return compact(number)

    wrapper.passes_compact_numbers = True
    return wrapper


def personal_columns(*, name_example: str, education_example: str) -> tuple[Column, ...]:
    """The personal-information columns of every sheet of people (cadres, village two-committee
    members): one wording of the rules that ``PersonalInfo``'s fields obey."""
    return (
        Column("姓名", "name", example=name_example),
        Column(
            "身份证号",
            "id_number",
            normalise.long_number,
            rule="18位居民身份证号码，末位 X 大小写均可；前6位为办证时的行政区划代码（已撤销的代码也有效）",
            example="410102196503082047",
        ),
        Column("性别", "gender", GENDER, required=False, rule="男 或 女；可不填，按身份证号自动识别"),
        Column(
            "出生日期",
            "birth_date",
            normalise.date,
            required=False,
            rule="可不填，按身份证号自动识别；填写时须与身份证号一致",
        ),
        Column(
            "联系电话",
            "phone",
            normalise.code,
            required=False,
            rule="11位手机号，或带区号的固定电话（如 0371-12345678）；旧模板的“手机号”列也可导入",
            example="13812345678",
            aliases=("手机号",),
        ),
        Column("政治面貌", "political_status", POLITICAL_STATUS, rule=POLITICAL_STATUS.allowed(), example="中共党员"),
        Column("学历", "education", EDUCATION, rule=EDUCATION.allowed(), example=education_example),
    )


def personal_values(person) -> list:
    """The personal columns' cells of ``person`` in an export, masked unless the user may read them
    in full (``personal_info_visible``, annotated by ``staffing.selectors.with_personal_info_visible``)."""
    visible = person.personal_info_visible
    return [
        person.name,
        person.id_number if visible else mask_id_number(person.id_number),
        GENDER.word(person.gender),
        person.birth_date if visible else "",
        person.phone if visible else mask_phone(person.phone),
        POLITICAL_STATUS.word(person.political_status),
        EDUCATION.word(person.education),
    ]


class CadreSheet(SheetResource):
    key = "cadre"
    model = Cadre
    sheet_name = "干部"
    columns = (
        *personal_columns(name_example="张三", education_example="大学本科"),
        Column("编制单位", "home_unit", rule="编制所在的县直部门或乡镇（街道），填单位代码或全称", example="城关镇"),
        Column("现任职务", "current_post", example="农技站站长"),
        Column("人员类别", "staff_category", STAFF_CATEGORY, rule=STAFF_CATEGORY.allowed(), example="公务员"),
        Column("职级", "rank", RANK, rule=rank_rule(), example="一级科员"),
        Column(
            "领导职务层次",
            "leadership_level",
            LEADERSHIP_LEVEL,
            required=False,
            rule=f"担任领导职务的公务员、参照公务员法管理人员填写：{LEADERSHIP_LEVEL.allowed()}；其他人员不填",
        ),
    )
    natural_key = ("id_number",)
    compared_fields = (
        "name",
        "gender",
        "birth_date",
        "phone",
        "political_status",
        "education",
        "home_unit_id",
        "current_post",
        "staff_category",
        "rank",
        "leadership_level",
    )
    _copied = (
        "name",
        "gender",
        "birth_date",
        "phone",
        "political_status",
        "education",
        "current_post",
        "staff_category",
        "rank",
        "leadership_level",
    )

    def prepare(self, rows: list[Row]) -> None:
        stdnum_fast_paths()
        numbers = [row.values["id_number"] for row in rows if row.values.get("id_number")]
        self.existing = {cadre.id_number: cadre for cadre in rows_matching(Cadre.objects.all(), "id_number", numbers)}
        self.units = UnitLookup(row.values.get("home_unit") for row in rows)

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        number = values.get("id_number")
        cadre = self.existing.get(number) if number else None
        if cadre is not None and not self.in_scope(cadre.home_unit_id):
            errors["id_number"] = CADRE_ELSEWHERE
            self.refuse_outside(row, RefusalReason.CADRE_OUTSIDE, number)
            cadre = None  # the row's own values are still judged, on a record that is never written
        home_unit = self._home_unit(values.get("home_unit"), errors)
        given = {name: values[name] for name in self._copied if values.get(name) is not None}
        before = self.snapshot(cadre) if cadre else None
        if cadre is None:
            cadre = new_instance(Cadre, {**given, "id_number": number or "", "home_unit": home_unit})
        else:
            for name, value in given.items():
                setattr(cadre, name, value)
            if home_unit is not None:
                cadre.home_unit = home_unit
        row.instance = cadre
        # The ID number, gender, birth-date, phone and rank rules are the model's (Cadre.clean);
        # the ID number's format is judged there too, not by the column's 18-character limit.
        self.clean_instance(cadre, exclude=row.failed, errors=errors, judged_by_clean=("id_number",))
        if before is None:
            row.outcome = Outcome.NEW
        elif self.changed(cadre, before, self.compared_fields):
            row.outcome = Outcome.UPDATED
        else:
            row.outcome = Outcome.UNCHANGED

    def template_examples(self) -> dict:
        unit = self.example_unit(Q(level=UnitLevel.TOWNSHIP) | Q(kind=UnitKind.DEPARTMENT))
        return {"home_unit": self.unit_reference(unit)} if unit else {}

    def _home_unit(self, value, errors: dict):
        """The unit named, if it is known and in the user's jurisdiction; else the error is noted."""
        if not value:
            return None
        try:
            unit = self.units.resolve(value)
        except ValidationError as error:
            errors["home_unit"] = error
            return None
        if not self.in_scope(unit.pk):
            errors["home_unit"] = CADRE_OUTSIDE_SCOPE
            return None
        return unit

    def write(self, created: list, updated: list) -> None:
        insert_with_history(Cadre, created, user=self.user)
        if updated:
            fields = [name.removesuffix("_id") for name in self.compared_fields]
            bulk_update_with_history(updated, Cadre, fields=fields, batch_size=2000, default_user=self.user)

    def export_queryset(self):
        queryset = Cadre.objects.for_user(self.user).select_related("home_unit").order_by("pk")
        return with_personal_info_visible(queryset, user=self.user)

    def export_values(self, cadre: Cadre) -> list:
        return [
            *personal_values(cadre),
            cadre.home_unit.name,
            cadre.current_post,
            STAFF_CATEGORY.word(cadre.staff_category),
            RANK.word(cadre.rank),
            LEADERSHIP_LEVEL.word(cadre.leadership_level),
        ]


def _cadres_by_number(numbers: list[str]) -> dict[str, Cadre]:
    return {cadre.id_number: cadre for cadre in rows_matching(Cadre.objects.all(), "id_number", numbers)}


class SecondmentSheet(SheetResource):
    key = "secondment"
    model = Secondment
    sheet_name = "派驻干部"
    capability = Capability.PROPOSE_APPOINTMENT  # the sending department (or county) records secondments
    columns = (
        Column("身份证号", "id_number", normalise.long_number, example="410102199003077675"),
        Column("姓名", "name", required=False, rule="可不填；填写时须与身份证号对应的干部一致", example="张三"),
        Column("派出单位", "sending_unit", rule="派出干部的县直部门，填单位代码或全称", example="清河县农业农村局"),
        Column("派驻单位", "host_unit", rule="接收干部的乡镇（街道），填单位代码或全称", example="城关镇"),
        Column("开始日期", "start_date", normalise.date, example="2026-03-01"),
        Column("计划结束日期", "planned_end", normalise.date, required=False),
        Column("派驻岗位", "post", example="驻镇农技员"),
    )
    natural_key = ("id_number", "start_date")
    compared_fields = ("sending_unit_id", "host_unit_id", "planned_end", "post")

    def prepare(self, rows: list[Row]) -> None:
        self.cadres = _cadres_by_number([row.values["id_number"] for row in rows if row.values.get("id_number")])
        self.units = UnitLookup(
            [row.values.get("sending_unit") for row in rows] + [row.values.get("host_unit") for row in rows]
        )
        self.existing = {
            (secondment.cadre.id_number, secondment.start_date): secondment
            for secondment in Secondment.objects.filter(cadre__in=list(self.cadres.values())).select_related(
                "cadre", "sending_unit", "host_unit"
            )
        }
        self.cadre_rows: dict[int, int] = {}

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        cadre = self._cadre(row, errors)
        secondment = self.existing.get((cadre.id_number, values.get("start_date"))) if cadre else None
        before = self.snapshot(secondment) if secondment else None
        if secondment is None:
            secondment = Secondment(cadre=cadre, start_date=values.get("start_date"))
            # A cadre serves in one township at a time: two new secondments in one file cannot both hold.
            if cadre is not None and cadre.pk in self.cadre_rows:
                errors["id_number"] = SECONDMENT_ONE_IN_FORCE
            elif cadre is not None:
                self.cadre_rows[cadre.pk] = row.number
        elif not secondment.live:
            raise ValidationError(SECONDMENT_ENDED)
        elif not (self.in_scope(secondment.sending_unit_id)):
            raise ValidationError(RECORD_OUT_OF_SCOPE % {"key": f"{cadre.id_number} {secondment.start_date}"})
        for name in ("sending_unit", "host_unit"):
            if values.get(name):
                try:
                    setattr(secondment, name, self.units.resolve(values[name]))
                except ValidationError as error:
                    errors[name] = error
        secondment.post = values.get("post") or ""
        if values.get("planned_end") is not None:
            secondment.planned_end = values["planned_end"]
        row.instance = secondment
        self._judge(secondment, row, errors)
        if before is None:
            row.outcome = Outcome.NEW
        elif self.changed(secondment, before, self.compared_fields):
            row.outcome = Outcome.UPDATED
        else:
            row.outcome = Outcome.UNCHANGED

    def template_examples(self) -> dict:
        department = self.example_unit(kind=UnitKind.DEPARTMENT)
        if department is None:
            return {}
        host = self.example_unit(
            capability=Capability.SEE_RECORDS, level=UnitLevel.TOWNSHIP, parent_id=department.parent_id
        )
        examples = {"sending_unit": self.unit_reference(department)}
        return {**examples, "host_unit": self.unit_reference(host)} if host else examples

    def _cadre(self, row: Row, errors: dict) -> Cadre | None:
        """The cadre the row names, if the user may second them: one kept outside the user's
        jurisdiction is answered as one that does not exist (issue 11.6), and audited."""
        values = row.values
        number = values.get("id_number")
        cadre = self.cadres.get(number) if number else None
        if cadre is not None and not self.in_scope(cadre.home_unit_id):
            self.refuse_outside(row, RefusalReason.CADRE_OUTSIDE, number)
            cadre = None
        if number and cadre is None:
            errors["id_number"] = CADRE_NOT_IN_JURISDICTION % {"number": number}
        elif cadre is not None and values.get("name") and values["name"] != cadre.name:
            params = {"number": cadre.id_number, "name": cadre.name, "given": values["name"]}
            errors["name"] = CADRE_NAME_MISMATCH % params
        return cadre

    def _judge(self, secondment: Secondment, row: Row, errors: dict) -> None:
        """staffing's own rules (who may record it, department → township of the same county, no
        overlap) when the cadre and both units are known; else the row's other fields alone.
        Every error found is raised together."""
        known = secondment.cadre_id and secondment.sending_unit_id and secondment.host_unit_id
        if not known:
            self.clean_instance(secondment, exclude={"cadre", "sending_unit", "host_unit", *row.failed}, errors=errors)
            return
        found = {name: ValidationError(error).error_list for name, error in errors.items()}
        try:
            if secondment.pk is None:  # a new row records a secondment already served (in force)
                secondment_record_check(actor=self.user, secondment=secondment)
            secondment_validate(actor=self.user, secondment=secondment, exclude=row.failed)
        except ValidationError as error:
            found = error.update_error_dict(found)
        if found:
            raise ValidationError(found)

    def row_label(self, row: Row) -> str:
        secondment = row.instance
        return row.values.get("name") or (secondment.cadre.name if secondment and secondment.cadre_id else "")

    def write(self, created: list, updated: list) -> None:
        # One service call per row (it locks the cadre and writes the transition row); secondment
        # files are hundreds of rows, not the hundred thousand of a cadre roll.
        # A file records secondments already served (the county organisation department's records):
        # new rows are in force from their start; new secondments go through the three hands.
        for secondment in created:
            secondment_save(actor=self.user, secondment=secondment, already_arrived=True)
        for secondment in updated:
            secondment_save(actor=self.user, secondment=secondment)

    def export_queryset(self):
        queryset = (
            Secondment.objects.for_user(self.user).select_related("cadre", "sending_unit", "host_unit").order_by("pk")
        )
        return with_personal_info_visible(queryset, user=self.user, cadre_lookup="cadre")

    def export_values(self, secondment: Secondment) -> list:
        cadre = secondment.cadre
        visible = secondment.personal_info_visible
        return [
            cadre.id_number if visible else mask_id_number(cadre.id_number),
            cadre.name,
            secondment.sending_unit.name,
            secondment.host_unit.name,
            secondment.start_date,
            secondment.planned_end,
            secondment.post,
        ]


class AssessmentSheet(SheetResource):
    """Grades of draft (or returned) assessments: the clerk fills a cycle's grades in Excel."""

    key = "assessment"
    model = Assessment
    sheet_name = "考核等次"
    capability = Capability.DRAFT_ASSESSMENT
    columns = (
        Column("考核周期", "cycle", rule="考核周期的名称，与系统中一致", example="2026年度"),
        Column("身份证号", "id_number", normalise.long_number, example="410102199003077675"),
        Column("等次", "grade", GRADE, rule=GRADE.allowed(), example="称职"),
        Column("分数", "score", normalise.number, required=False, rule="0–100，可保留一位小数", example=88.5),
        Column("评语", "comments", required=False),
    )
    natural_key = ("cycle", "id_number")
    compared_fields = ("grade", "score", "comments")

    label_field = None  # the sheet names no one: the preview shows the assessed cadre

    def prepare(self, rows: list[Row]) -> None:
        names = {row.values["cycle"] for row in rows if row.values.get("cycle")}
        self.cycles: dict[str, list] = {}
        # Only the user's cycles: another township's are neither named nor counted (issue 11.6).
        for cycle in AssessmentCycle.objects.for_user(self.user, self.capability).filter(name__in=names):
            self.cycles.setdefault(cycle.name, []).append(cycle)
        cycle_ids = [cycles[0].pk for cycles in self.cycles.values() if len(cycles) == 1]
        # A cycle holds at most a few thousand assessments: one query for all of them. Each is
        # found by its ID number, or by the masked number of an export made without the right
        # to see personal information (a township clerk's), which is unique within a cycle.
        self.assessments: dict[tuple, list] = {}
        for assessment in Assessment.objects.filter(cycle_id__in=cycle_ids).select_related("cycle", "cadre"):
            number = assessment.cadre.id_number
            for key in {number, mask_id_number(number)}:
                self.assessments.setdefault((assessment.cycle.name, key), []).append(assessment)

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        assessment = self._assessment(row, errors)
        if assessment is None:
            # The record is unknown: the grade, score and comments are still judged on their own.
            judged = Assessment(grade=values.get("grade") or "", score=values.get("score"))
            others = {field.name for field in Assessment._meta.fields} - {"grade", "score"}
            self.clean_instance(judged, exclude={*others, *row.failed}, errors=errors)
            return  # no error raised: a key cell failed, and the row holds that error already
        # staffing's rule: a clerk or supervisor of the host township, and only while draft or returned.
        assessment_draft_check(actor=self.user, assessment=assessment)
        before = self.snapshot(assessment)
        if values.get("grade") is not None:
            assessment.grade = values["grade"]
        assessment.score = values.get("score")
        assessment.comments = values.get("comments") or ""
        row.instance = assessment
        exclude = {"drafted_by", "submitted_by", "approved_by", *row.failed}
        self.clean_instance(assessment, exclude=exclude, errors=errors)
        row.outcome = Outcome.UPDATED if self.changed(assessment, before, self.compared_fields) else Outcome.UNCHANGED

    def template_examples(self) -> dict:
        cycle = (
            AssessmentCycle.objects.for_user(self.user, self.capability)
            .filter(state=CycleState.OPEN)
            .order_by("-year", "-quarter", "pk")
            .first()
        )
        return {"cycle": cycle.name} if cycle else {}

    def _assessment(self, row: Row, errors: dict) -> Assessment | None:
        name, number = row.values.get("cycle"), row.values.get("id_number")
        if not name:
            return None
        cycles = self.cycles.get(name, [])
        if not cycles:
            errors["cycle"] = CYCLE_UNKNOWN % {"value": name}
            return None
        if len(cycles) > 1:
            errors["cycle"] = CYCLE_AMBIGUOUS % {"value": name}
            return None
        if not number:
            return None
        found = self.assessments.get((name, number), [])
        params = {"cycle": name, "number": number}
        # A cycle may cover several townships: another's assessment is answered as none (issue 11.6).
        mine = [assessment for assessment in found if self.in_scope(assessment.host_unit_id)]
        if found and not mine:
            self.refuse_outside(row, RefusalReason.ASSESSMENT_OUTSIDE, number)
        found = mine
        if not found:
            errors["id_number"] = ASSESSMENT_UNKNOWN % params
        elif len(found) > 1:
            errors["id_number"] = ASSESSMENT_AMBIGUOUS % params
        return found[0] if len(found) == 1 else None

    def row_label(self, row: Row) -> str:
        return row.instance.cadre.name if row.instance is not None else ""

    def write(self, created: list, updated: list) -> None:
        for assessment in updated:
            assessment_draft(
                actor=self.user,
                assessment=assessment,
                grade=assessment.grade,
                score=assessment.score,
                comments=assessment.comments,
            )

    def export_queryset(self):
        queryset = (
            Assessment.objects.for_user(self.user, Capability.DRAFT_ASSESSMENT)
            .filter(state__in=EDITABLE_STATES)
            .select_related("cycle", "cadre")
            .order_by("cycle", "host_unit", "cadre__name", "pk")
        )
        return with_personal_info_visible(queryset, user=self.user, cadre_lookup="cadre")

    def export_values(self, assessment: Assessment) -> list:
        visible = assessment.personal_info_visible
        number = assessment.cadre.id_number
        return [
            assessment.cycle.name,
            number if visible else mask_id_number(number),
            GRADE.word(assessment.grade),
            float(assessment.score) if assessment.score is not None else None,
            assessment.comments,
        ]
