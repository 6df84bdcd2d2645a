"""The spreadsheet of a township's own statutory powers (乡镇本级权力事项), read like the other
sheets in any column order: each row names the township, and only the township's supervisor
keeps its powers (``governance.power_list.township_power_save`` checks the same rule one power at
a time); a row for another township is refused with the rule, and nothing is written."""

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_update_with_history

from governance.models import TownshipPower, UnitLevel
from governance.power_list import NOT_A_TOWNSHIP, OWN_POWERS_OUTSIDE, PUBLISH_POWER_LIST
from governance.resources import yes_no_word
from governance.spreadsheets import normalise
from governance.spreadsheets.bulk import insert_with_history
from governance.spreadsheets.resources import Column, Outcome, Row, SheetResource, UnitLookup, new_instance


class TownshipPowerSheet(SheetResource):
    key = "townshippower"
    model = TownshipPower
    sheet_name = "乡镇本级权力事项"
    capability = PUBLISH_POWER_LIST
    columns = (
        Column("乡镇（街道）", "township", rule="填乡镇（街道）代码或全称", example="城关镇"),
        Column("事项编码", "code", normalise.code, example="XZ-ZY-001"),
        Column("权力事项", "name", example="村民委员会选举的指导"),
        Column("法律依据", "legal_basis", example="《中华人民共和国村民委员会组织法》第四条"),
        Column("责任科室", "office", example="党建工作办公室"),
        Column("对应责任", "responsibility", example="依法指导村民委员会换届选举，纠正违法选举行为。"),
        Column("是否有效", "active", normalise.yes_no, required=False, rule="是 或 否；可不填，新事项为是"),
    )
    natural_key = ("township", "code")
    compared_fields = ("name", "legal_basis", "office", "responsibility", "active")

    def prepare(self, rows: list[Row]) -> None:
        self.units = UnitLookup(row.values.get("township") for row in rows)
        codes = {row.values["code"] for row in rows if row.values.get("code")}
        self.existing = {
            (power.township_id, power.code): power for power in TownshipPower.objects.filter(code__in=codes)
        }

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        township = self._township(values.get("township"), errors)
        code = values.get("code")
        power = self.existing.get((township.pk, code)) if township and code else None
        given = {name: values[name] for name in self.compared_fields if values.get(name) is not None}
        before = self.snapshot(power) if power else None
        if power is None:
            power = new_instance(TownshipPower, {**given, "code": code or "", "township": township})
        else:
            for name, value in given.items():
                setattr(power, name, value)
        row.instance = power
        self.clean_instance(power, exclude=row.failed, errors=errors)
        if before is None:
            row.outcome = Outcome.NEW
        else:
            row.outcome = Outcome.UPDATED if self.changed(power, before, self.compared_fields) else Outcome.UNCHANGED

    def _township(self, value, errors: dict):
        if not value:
            return None
        try:
            unit = self.units.resolve(value)
        except ValidationError as error:
            errors["township"] = error
            return None
        if unit.level != UnitLevel.TOWNSHIP:
            errors["township"] = NOT_A_TOWNSHIP
            return None
        if not self.in_scope(unit.pk):
            errors["township"] = ValidationError(OWN_POWERS_OUTSIDE, params={"unit": unit.name})
            return None
        return unit

    def template_examples(self) -> dict:
        township = self.example_unit(level=UnitLevel.TOWNSHIP)
        return {"township": self.unit_reference(township)} if township else {}

    def write(self, created: list, updated: list) -> None:
        insert_with_history(TownshipPower, created, user=self.user)
        if updated:
            bulk_update_with_history(
                updated, TownshipPower, fields=list(self.compared_fields), batch_size=2000, default_user=self.user
            )

    def export_queryset(self):
        return TownshipPower.objects.for_user(self.user).select_related("township").order_by("township__path", "code")

    def export_values(self, power: TownshipPower) -> list:
        return [
            power.township.name,
            power.code,
            power.name,
            power.legal_basis,
            power.office,
            power.responsibility,
            yes_no_word(power.active),
        ]
