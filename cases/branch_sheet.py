"""The spreadsheet of the party-branch register (党支部名册, 支部联支部), read like the other sheets
in any column order. The branches' keepers are those of ``cases.branch_services.may_keep``: the
county organisation department for its county, a township for the township and its villages; a row
for a unit outside them is refused with the rule, where a branch sits is judged by the same
function as the form's (``branch_place_errors``), and nothing of a file with an error is written."""

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

from cases.branch_pairing import BranchKind, PartyBranch
from cases.branch_services import (
    BRANCH_OUTSIDE_COUNTY,
    BRANCH_UNIT_OUTSIDE,
    branch_place_errors,
    counties_of,
)
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import sees_everything, units_for
from governance.spreadsheets import normalise
from governance.spreadsheets.bulk import insert_with_history
from governance.spreadsheets.resources import Column, Outcome, Row, SheetResource, UnitLookup, new_instance

BRANCH_KIND = normalise.Vocabulary(
    BranchKind,
    {
        BranchKind.DEPARTMENT: ("机关党支部", "机关支部", "机关"),
        BranchKind.INSTITUTION: ("事业单位党支部", "事业单位支部", "事业单位"),
        BranchKind.STATE_ENTERPRISE: ("国有企业党支部", "国企党支部", "国有企业", "国企"),
        BranchKind.VILLAGE: ("村（社区）党支部", "村党支部", "社区党支部", "村（社区）"),
    },
)
# may_keep's two capabilities: the organisation department's and the township's.
KEEPER_CAPABILITIES = (Capability.ORGANISE_CADRES, Capability.DRAFT_ASSESSMENT)


class PartyBranchSheet(SheetResource):
    key = "partybranch"
    model = PartyBranch
    sheet_name = "党支部名册"
    capability = Capability.ORGANISE_CADRES  # with DRAFT_ASSESSMENT: see allowed_unit_ids
    columns = (
        Column("党支部名称", "name", example="东关村党支部"),
        Column("支部类别", "kind", BRANCH_KIND, rule=BRANCH_KIND.allowed(), example="村（社区）党支部"),
        Column(
            "所在单位",
            "unit",
            rule="填单位代码或全称：村（社区）党支部填所在村（社区），其他支部填所属部门、单位或乡镇",
            example="东关村",
        ),
        Column("支部书记", "secretary", required=False, example="王建华"),
        Column("党员人数", "members", normalise.whole_number, required=False, rule="整数，可不填", example=23),
    )
    natural_key = ("unit", "name")
    compared_fields = ("kind", "secretary", "members")

    def allowed_unit_ids(self) -> set[int] | None:
        """The units of either keeper's capability (``may_keep``), asked once per file."""
        if sees_everything(self.user):
            return None
        if self._allowed_unit_ids is None:
            self._allowed_unit_ids = set()
            for capability in KEEPER_CAPABILITIES:
                self._allowed_unit_ids.update(units_for(self.user, capability).values_list("pk", flat=True))
        return self._allowed_unit_ids

    def prepare(self, rows: list[Row]) -> None:
        self.units = UnitLookup(row.values.get("unit") for row in rows)
        self.counties = counties_of({*self.units.by_code.values()})
        names = {row.values["name"] for row in rows if row.values.get("name")}
        self.existing = {(b.unit_id, b.name): b for b in PartyBranch.objects.filter(name__in=names)}

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        unit = self._unit(values.get("unit"), errors)
        name = values.get("name")
        branch = self.existing.get((unit.pk, name)) if unit and name else None
        given = {field: values[field] for field in self.compared_fields if values.get(field) is not None}
        before = self.snapshot(branch) if branch else None
        if branch is None:
            county = self.counties.get(unit.pk) if unit else None
            branch = new_instance(PartyBranch, {**given, "name": name or "", "unit": unit, "county": county})
        else:
            for field, value in given.items():
                setattr(branch, field, value)
        if unit is not None and "kind" not in row.failed:
            errors.update(branch_place_errors(branch))
        row.instance = branch
        self.clean_instance(branch, exclude=row.failed, errors=errors)
        if before is None:
            row.outcome = Outcome.NEW
        else:
            row.outcome = Outcome.UPDATED if self.changed(branch, before, self.compared_fields) else Outcome.UNCHANGED

    def _unit(self, value, errors: dict):
        if not value:
            return None
        try:
            unit = self.units.resolve(value)
        except ValidationError as error:
            errors["unit"] = error
            return None
        if not self.in_scope(unit.pk):
            errors["unit"] = ValidationError(BRANCH_UNIT_OUTSIDE, params={"unit": unit.name})
            return None
        if unit.pk not in self.counties:
            errors["unit"] = BRANCH_OUTSIDE_COUNTY
            return None
        return unit

    def template_examples(self) -> dict:
        village = self.example_unit(level=UnitLevel.VILLAGE, capability=Capability.SEE_RECORDS)
        return {"unit": self.unit_reference(village)} if village else {}

    def write(self, created: list, updated: list) -> None:
        insert_with_history(PartyBranch, created, user=self.user)
        if updated:
            bulk_update_with_history(
                updated, PartyBranch, fields=list(self.compared_fields), batch_size=2000, default_user=self.user
            )

    def export_queryset(self):
        return PartyBranch.objects.for_user(self.user).select_related("unit").order_by("county", "kind", "name")

    def export_values(self, branch: PartyBranch) -> list:
        return [branch.name, BRANCH_KIND.word(branch.kind), branch.unit.name, branch.secretary, branch.members]
