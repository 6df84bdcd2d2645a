"""Spreadsheet resources of the governance app: units and the three catalogues of devolved powers.

Headers and choice words are the clerk's Chinese, fixed by issue 5 (a file format, not UI text
to translate); the English field names are accepted as headers too.
"""

import re

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

from governance.models import (
    CoordinationItem,
    EnforcementCategory,
    EnforcementItem,
    HandlingMode,
    Sector,
    ServiceItem,
    ServiceLevel,
    Unit,
    UnitKind,
)
from governance.models.units import LEVEL_OF_KIND, UnitLevel
from governance.spreadsheets import normalise
from governance.spreadsheets.bulk import insert_with_history
from governance.spreadsheets.resources import (
    OUT_OF_SCOPE,
    RECORD_OUT_OF_SCOPE,
    Column,
    Outcome,
    Row,
    SheetResource,
    UnitLookup,
)

UNIT_KIND = normalise.Vocabulary(
    UnitKind,
    {
        UnitKind.CITY: ("市",),
        UnitKind.COUNTY: ("县",),
        UnitKind.DISTRICT: ("区", "市辖区"),
        UnitKind.NEW_AREA: ("新区", "开发区"),
        UnitKind.TOWNSHIP: ("乡",),
        UnitKind.TOWN: ("镇",),
        UnitKind.STREET: ("街道", "街道办事处"),
        UnitKind.VILLAGE: ("村", "行政村"),
        UnitKind.COMMUNITY: ("社区",),
        UnitKind.DEPARTMENT: ("县直部门", "部门"),
        UnitKind.CLUSTER_COMMITTEE: ("产业集群党委", "产业集群委员会"),
    },
)

SECTOR = normalise.Vocabulary(
    Sector,
    {
        Sector.ORGANISATION: ("组织",),
        Sector.SOCIAL_GOVERNANCE: ("社会治理",),
        Sector.DEVELOPMENT_REFORM: ("发展改革", "发改"),
        Sector.INDUSTRY_IT: ("工业和信息化", "工信"),
        Sector.FINANCE: ("财政",),
        Sector.HUMAN_RESOURCES: ("人力资源和社会保障", "人社"),
        Sector.CIVIL_AFFAIRS: ("民政",),
        Sector.AGRICULTURE: ("农业农村", "农业"),
        Sector.NATURAL_RESOURCES: ("自然资源",),
        Sector.ECOLOGY_ENVIRONMENT: ("生态环境", "环保"),
        Sector.HOUSING_CONSTRUCTION: ("住房和城乡建设", "住建"),
        Sector.TRANSPORT: ("交通运输", "交通"),
        Sector.WATER: ("水利",),
        Sector.CULTURE_TOURISM: ("文化广电和旅游", "文旅"),
        Sector.HEALTH: ("卫生健康", "卫健"),
        Sector.EDUCATION: ("教育",),
        Sector.EMERGENCY: ("应急管理", "应急"),
        Sector.MARKET_REGULATION: ("市场监督管理", "市场监管"),
        Sector.PUBLIC_SECURITY: ("公安",),
        Sector.JUSTICE: ("司法",),
        Sector.URBAN_MANAGEMENT: ("城市管理", "城管"),
        Sector.COMMERCE: ("商务",),
        Sector.VETERANS: ("退役军人事务", "退役军人"),
        Sector.MEDICAL_SECURITY: ("医疗保障", "医保"),
        Sector.FORESTRY: ("林业",),
    },
)

SERVICE_LEVEL = normalise.Vocabulary(
    ServiceLevel,
    {ServiceLevel.TOWNSHIP: ("乡镇", "乡镇级", "乡镇（街道）"), ServiceLevel.VILLAGE: ("村", "村级", "村（社区）")},
)

HANDLING_MODE = normalise.Vocabulary(
    HandlingMode,
    {
        HandlingMode.TOWNSHIP: ("乡镇受理办结", "乡镇办理"),
        HandlingMode.VILLAGE: ("村级受理办结", "村级办理"),
        HandlingMode.VILLAGE_TO_TOWNSHIP: ("村级受理乡镇办结", "村级代办"),
    },
)

ENFORCEMENT_CATEGORY = normalise.Vocabulary(
    EnforcementCategory,
    {
        EnforcementCategory.PENALTY: ("行政处罚",),
        EnforcementCategory.COMPULSORY_MEASURE: ("行政强制",),
        EnforcementCategory.INSPECTION: ("行政检查",),
        EnforcementCategory.OTHER: ("其他",),
    },
)

_LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def sector_list(value) -> list[str]:
    return [SECTOR(part) for part in _LIST_SEPARATORS.split(normalise.text(value)) if part]


def yes_no_word(value: bool) -> str:
    return "是" if value else "否"


def _level_rank(unit: Unit) -> int:
    return list(UnitLevel).index(unit.level)


class UnitSheet(SheetResource):
    key = "unit"
    model = Unit
    sheet_name = "单位"
    columns = (
        Column(
            "单位代码",
            "code",
            normalise.code,
            rule="12位统计用区划代码；县直部门填18位统一社会信用代码",
            example="419921100002",
        ),
        Column("单位名称", "name", rule="单位全称", example="北关村"),
        Column("单位类型", "kind", UNIT_KIND, rule=UNIT_KIND.allowed(), example="村"),
        Column(
            "上级单位代码", "parent", required=False, rule="上级单位的代码或全称；市级单位不填", example="419921100000"
        ),
        Column("行业领域", "sector", SECTOR, required=False, rule=f"仅县直部门填写：{SECTOR.allowed()}"),
        Column(
            "编制定额",
            "staff_quota",
            normalise.whole_number,
            required=False,
            rule="仅乡镇（街道）填写，整数，不填默认100",
        ),
        Column("试点", "pilot", normalise.yes_no, required=False, rule="是 或 否，不填为否", example="否"),
    )
    natural_key = ("code",)
    compared_fields = ("name", "kind", "parent_id", "sector", "staff_quota", "pilot")

    def prepare(self, rows: list[Row]) -> None:
        codes = [row.values["code"] for row in rows if row.values.get("code")]
        existing = {unit.code: unit for unit in Unit.objects.filter(code__in=codes).select_related("parent")}
        self.before: dict[int, dict] = {}
        for row in rows:
            code = row.values.get("code")
            unit = existing.get(code) if code else None
            unit = unit or Unit(code=code or "")
            if unit.pk:
                self.before[row.number] = self.snapshot(unit)
            for name in ("name", "kind", "sector", "staff_quota", "pilot"):
                if row.values.get(name) is not None:
                    setattr(unit, name, row.values[name])
            unit.level = LEVEL_OF_KIND.get(unit.kind, "")
            row.instance = unit
        # Parents named in the file may be units created by other rows of the same file, before or after.
        new_units = (row.instance for row in rows if row.instance.pk is None and row.instance.code)
        self.parents = UnitLookup((row.values.get("parent") for row in rows), extra=new_units)

    def build(self, row: Row) -> None:
        unit, errors = row.instance, {}
        if row.values.get("parent"):
            try:
                unit.parent = self.parents.resolve(row.values["parent"])
            except ValidationError as error:
                errors["parent"] = error
        elif unit.pk is None:
            unit.parent = None
        if unit.pk is not None and not self.in_scope(unit.pk):
            raise ValidationError(RECORD_OUT_OF_SCOPE % {"key": unit.code})
        # Creating or moving a unit is acting in its parent (an in-file new parent is judged on its own row).
        parent = unit.parent
        known = "parent" not in errors and (parent is None or parent.pk is not None)
        if known and not self.in_scope(parent.pk if parent else None):
            errors["parent"] = OUT_OF_SCOPE % {"unit": parent.name if parent else "—"}
        self.clean_instance(unit, exclude=("path", *row.failed), errors=errors)
        if unit.pk is None:
            row.outcome = Outcome.NEW
        elif self.changed(unit, self.before[row.number], self.compared_fields):
            row.outcome = Outcome.UPDATED
        else:
            row.outcome = Outcome.UNCHANGED

    def template_examples(self) -> dict:
        """A new village under a township of the user's jurisdiction, with a code still free."""
        township = self.example_unit(level=UnitLevel.TOWNSHIP)
        if township is None:
            return {}
        prefix = township.code[:9]
        taken = set(Unit.objects.filter(code__startswith=prefix).values_list("code", flat=True))
        free = next((f"{prefix}{number:03d}" for number in range(1, 200) if f"{prefix}{number:03d}" not in taken), None)
        return {"code": free, "parent": township.code} if free else {}

    def write(self, created: list, updated: list) -> None:
        # Parents before children, whatever the file's order (a new parent needs its pk first);
        # Unit.save builds each path from the parent's stored one and rewrites the subtree below.
        # Unit files are small: one save per row.
        for unit in sorted(created + updated, key=_level_rank):
            unit.save()

    def export_queryset(self):
        return Unit.objects.for_user(self.user).select_related("parent").order_by("path")

    def export_values(self, unit: Unit) -> list:
        return [
            unit.code,
            unit.name,
            UNIT_KIND.word(unit.kind),
            unit.parent.code if unit.parent_id else "",
            SECTOR.word(unit.sector),
            unit.staff_quota,
            yes_no_word(unit.pilot),
        ]


class CatalogueSheet(SheetResource):
    """A catalogue of devolved powers: the same for every county, keyed by item code, imported
    by those holding its import permission (the city administrator)."""

    capability = None
    natural_key = ("code",)

    def prepare(self, rows: list[Row]) -> None:
        codes = [row.values["code"] for row in rows if row.values.get("code")]
        self.existing = {item.code: item for item in self.model.objects.filter(code__in=codes)}

    def build(self, row: Row) -> None:
        code = row.values.get("code")
        item = self.existing.get(code) if code else None
        before = self.snapshot(item) if item else None
        if item is None:
            item = self.model(code=code or "")
        for column in self.columns:
            value = row.values.get(column.field)
            if value is not None:
                setattr(item, column.field, value)
        row.instance = item
        self.clean_instance(item, exclude=row.failed)
        if before is None:
            row.outcome = Outcome.NEW
        elif self.changed(item, before, self.compared_fields):
            row.outcome = Outcome.UPDATED
        else:
            row.outcome = Outcome.UNCHANGED

    def write(self, created: list, updated: list) -> None:
        insert_with_history(self.model, created, user=self.user)
        if updated:
            bulk_update_with_history(
                updated, self.model, fields=list(self.compared_fields), batch_size=1000, default_user=self.user
            )

    def export_queryset(self):
        return self.model.objects.order_by("code")


class ServiceItemSheet(CatalogueSheet):
    key = "serviceitem"
    model = ServiceItem
    sheet_name = "政务服务事项"
    columns = (
        Column("事项编码", "code", normalise.code, example="411700-XZ-001"),
        Column("事项名称", "name", example="农村村民宅基地申请审批"),
        Column("办理层级", "level", SERVICE_LEVEL, rule=SERVICE_LEVEL.allowed(), example="乡镇"),
        Column("行业领域", "sector", SECTOR, rule=SECTOR.allowed(), example="农业农村"),
        Column("设定依据", "legal_basis", required=False, example="《中华人民共和国土地管理法》第六十二条"),
        Column("办理方式", "handling_mode", HANDLING_MODE, rule=HANDLING_MODE.allowed(), example="乡镇受理办结"),
        Column("法定时限", "statutory_limit_days", normalise.whole_number, rule="工作日，整数", example=20),
        Column(
            "承诺时限", "promised_limit_days", normalise.whole_number, rule="工作日，整数，不超过法定时限", example=10
        ),
    )
    compared_fields = tuple(column.field for column in columns[1:])

    def export_values(self, item: ServiceItem) -> list:
        return [
            item.code,
            item.name,
            SERVICE_LEVEL.word(item.level),
            SECTOR.word(item.sector),
            item.legal_basis,
            HANDLING_MODE.word(item.handling_mode),
            item.statutory_limit_days,
            item.promised_limit_days,
        ]


class EnforcementItemSheet(CatalogueSheet):
    key = "enforcementitem"
    model = EnforcementItem
    sheet_name = "行政执法事项"
    columns = (
        Column("事项编码", "code", normalise.code, example="ZF-001"),
        Column("事项名称", "name", example="对违法占用耕地建房的处罚"),
        Column("执法类别", "category", ENFORCEMENT_CATEGORY, rule=ENFORCEMENT_CATEGORY.allowed(), example="行政处罚"),
        Column("实施依据", "legal_basis", required=False, example="《中华人民共和国土地管理法》第七十八条"),
        Column("原行业领域", "source_sector", SECTOR, rule=SECTOR.allowed(), example="自然资源"),
        Column("生效日期", "effective_from", normalise.date, rule="如 2026-01-01", example="2026-01-01"),
        Column("失效日期", "effective_to", normalise.date, required=False, rule="仍有效的不填"),
    )
    compared_fields = tuple(column.field for column in columns[1:])

    def export_values(self, item: EnforcementItem) -> list:
        return [
            item.code,
            item.name,
            ENFORCEMENT_CATEGORY.word(item.category),
            item.legal_basis,
            SECTOR.word(item.source_sector),
            item.effective_from,
            item.effective_to,
        ]


class CoordinationItemSheet(CatalogueSheet):
    key = "coordinationitem"
    model = CoordinationItem
    sheet_name = "县乡协同事项"
    columns = (
        Column("事项编码", "code", normalise.code, example="XT-001"),
        Column("事项名称", "name", example="农村人居环境整治"),
        Column("牵头行业领域", "lead_sector", SECTOR, rule=SECTOR.allowed(), example="农业农村"),
        Column(
            "配合行业领域",
            "co_sectors",
            sector_list,
            required=False,
            rule="可填多个，用顿号分隔",
            example="住建、生态环境",
        ),
        Column("乡镇职责", "township_role", required=False, example="组织村级开展日常巡查"),
        Column("工作流程", "workflow", required=False, example="发现—上报—处置—反馈"),
        Column("人员经费保障", "resources", required=False),
        Column("启用", "active", normalise.yes_no, required=False, rule="是 或 否，不填为是", example="是"),
    )
    compared_fields = tuple(column.field for column in columns[1:])

    def export_values(self, item: CoordinationItem) -> list:
        return [
            item.code,
            item.name,
            SECTOR.word(item.lead_sector),
            "、".join(SECTOR.word(sector) for sector in item.co_sectors or []),
            item.township_role,
            item.workflow,
            item.resources,
            yes_no_word(item.active),
        ]
