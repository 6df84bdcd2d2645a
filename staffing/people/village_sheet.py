"""The spreadsheet of village two-committee members (村“两委”干部), read like the cadres' sheet:
the personal-information rules are the model's (VillageMember.clean), the village must be one the
user keeps, and a member kept by another township is answered as one that does not exist."""

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

from governance.models import RefusalReason, UnitLevel
from governance.spreadsheets import normalise
from governance.spreadsheets.bulk import insert_with_history
from governance.spreadsheets.resources import (
    CADRE_ELSEWHERE,
    Column,
    Outcome,
    Row,
    SheetResource,
    UnitLookup,
    new_instance,
    rows_matching,
)
from staffing.people.village_committees import MEMBER_VILLAGE_LEVEL, CommitteePost, VillageMember
from staffing.people.village_services import MEMBER_OUTSIDE_SCOPE
from staffing.resources import personal_columns, personal_values, stdnum_fast_paths

COMMITTEE_POST = normalise.Vocabulary(
    CommitteePost,
    {
        CommitteePost.SECRETARY: ("党支部书记", "书记", "党组织书记"),
        CommitteePost.DIRECTOR: ("村委会主任", "主任", "居委会主任"),
        CommitteePost.BOTH: ("书记、主任一肩挑", "一肩挑"),
        CommitteePost.DEPUTY_SECRETARY: ("党支部副书记", "副书记"),
        CommitteePost.DEPUTY_DIRECTOR: ("村委会副主任", "副主任"),
        CommitteePost.BRANCH_MEMBER: ("支委委员", "支部委员"),
        CommitteePost.COMMITTEE_MEMBER: ("村委委员", "村委会委员", "委员"),
    },
)


class VillageMemberSheet(SheetResource):
    key = "villagemember"
    model = VillageMember
    sheet_name = "村两委干部"
    columns = (
        *personal_columns(name_example="王建华", education_example="高中"),
        Column("所在村（社区）", "village", rule="填村（社区）代码或全称", example="东关村"),
        Column("职务", "post", COMMITTEE_POST, rule=COMMITTEE_POST.allowed(), example="党支部书记"),
        Column("任期开始", "term_start", normalise.date, example="2021-03-01"),
        Column("任期结束", "term_end", normalise.date, required=False, example="2026-02-28"),
    )
    natural_key = ("id_number",)
    compared_fields = (
        "name",
        "gender",
        "birth_date",
        "phone",
        "political_status",
        "education",
        "village_id",
        "post",
        "term_start",
        "term_end",
    )
    _copied = (
        "name",
        "gender",
        "birth_date",
        "phone",
        "political_status",
        "education",
        "post",
        "term_start",
        "term_end",
    )

    def prepare(self, rows: list[Row]) -> None:
        stdnum_fast_paths()
        numbers = [row.values["id_number"] for row in rows if row.values.get("id_number")]
        self.existing = {m.id_number: m for m in rows_matching(VillageMember.objects.all(), "id_number", numbers)}
        self.units = UnitLookup(row.values.get("village") for row in rows)

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        number = values.get("id_number")
        member = self.existing.get(number) if number else None
        if member is not None and not self.in_scope(member.village_id):
            errors["id_number"] = CADRE_ELSEWHERE
            self.refuse_outside(row, RefusalReason.CADRE_OUTSIDE, number)
            member = None
        village = self._village(values.get("village"), errors)
        given = {name: values[name] for name in self._copied if values.get(name) is not None}
        before = self.snapshot(member) if member else None
        if member is None:
            member = new_instance(VillageMember, {**given, "id_number": number or "", "village": village})
        else:
            for name, value in given.items():
                setattr(member, name, value)
            if village is not None:
                member.village = village
        row.instance = member
        self.clean_instance(member, exclude=row.failed, errors=errors, judged_by_clean=("id_number",))
        if before is None:
            row.outcome = Outcome.NEW
        else:
            row.outcome = Outcome.UPDATED if self.changed(member, before, self.compared_fields) else Outcome.UNCHANGED

    def _village(self, value, errors: dict):
        if not value:
            return None
        try:
            unit = self.units.resolve(value)
        except ValidationError as error:
            errors["village"] = error
            return None
        if unit.level != UnitLevel.VILLAGE:
            errors["village"] = MEMBER_VILLAGE_LEVEL
            return None
        if not self.in_scope(unit.pk):
            errors["village"] = MEMBER_OUTSIDE_SCOPE
            return None
        return unit

    def template_examples(self) -> dict:
        village = self.example_unit(level=UnitLevel.VILLAGE)
        return {"village": self.unit_reference(village)} if village else {}

    def write(self, created: list, updated: list) -> None:
        insert_with_history(VillageMember, created, user=self.user)
        if updated:
            fields = [name.removesuffix("_id") for name in self.compared_fields]
            bulk_update_with_history(updated, VillageMember, fields=fields, batch_size=2000, default_user=self.user)

    def export_queryset(self):
        from staffing.people.village_admin import with_member_info_visible

        queryset = VillageMember.objects.for_user(self.user).select_related("village").order_by("pk")
        return with_member_info_visible(queryset, user=self.user)

    def export_values(self, member: VillageMember) -> list:
        return [
            *personal_values(member),
            member.village.name,
            COMMITTEE_POST.word(member.post),
            member.term_start,
            member.term_end,
        ]
