"""Which resource class reads and writes each record type (the key of its permissions)."""

from django.utils.module_loading import import_string

RESOURCES: dict[str, str] = {
    "unit": "governance.resources.UnitSheet",
    "serviceitem": "governance.resources.ServiceItemSheet",
    "enforcementitem": "governance.resources.EnforcementItemSheet",
    "coordinationitem": "governance.resources.CoordinationItemSheet",
    "cadre": "staffing.resources.CadreSheet",
    "secondment": "staffing.resources.SecondmentSheet",
    "assessment": "staffing.resources.AssessmentSheet",
    "villagemember": "staffing.people.village_sheet.VillageMemberSheet",
    "trainingattendance": "staffing.people.training_sheet.AttendanceSheet",
    "townshippower": "governance.power_list_sheet.TownshipPowerSheet",
    "partybranch": "cases.branch_sheet.PartyBranchSheet",
}


def resource_class(key: str):
    return import_string(RESOURCES[key])
