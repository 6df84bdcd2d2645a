"""Which model permissions of issue 15's records each role holds (merged by governance.access with
staffing.permissions). The rows each may touch come from its capabilities (governance.scoping)."""

from governance.roles import Role

_VILLAGE_SEE = ("staffing.view_villagemember", "staffing.view_villagecommittee")
_VILLAGE_KEEP = (
    "staffing.add_villagemember",
    "staffing.change_villagemember",
    "governance.import_villagemember",
    "governance.export_villagemember",
)
_TRAINING_SEE = ("staffing.view_trainingsession", "staffing.view_trainingattendance")
_TRAINING_KEEP = (
    "staffing.add_trainingsession",
    "staffing.change_trainingsession",
    "staffing.add_trainingattendance",
    "staffing.change_trainingattendance",
    "governance.import_trainingattendance",
    "governance.export_trainingattendance",
)
_POSTINGS_SEE = ("staffing.view_posting",)
_POSTINGS_KEEP = ("staffing.add_posting", "staffing.change_posting")
_OFFICES_SEE = ("staffing.view_townshipoffice", "staffing.view_officestaff", "staffing.view_stafftransfer")
_OFFICES_PLACE = ("staffing.add_officestaff", "staffing.change_officestaff")
_OFFICES_ORGANISE = ("staffing.add_townshipoffice", "staffing.change_townshipoffice", "staffing.add_stafftransfer")
_TEAM_SEE = ("staffing.view_teamposition",)
_TEAM_KEEP = ("staffing.add_teamposition", "staffing.change_teamposition")
_OVERVIEW = ("staffing.view_townshipoverview",)
_KEEP = (
    *_OVERVIEW,
    *_TEAM_SEE,
    *_OFFICES_SEE,
    *_OFFICES_PLACE,
    *_VILLAGE_SEE,
    *_VILLAGE_KEEP,
    *_TRAINING_SEE,
    *_TRAINING_KEEP,
)

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COUNTY_ORGANISATION: (*_KEEP, *_POSTINGS_SEE, *_POSTINGS_KEEP, *_OFFICES_ORGANISE, *_TEAM_KEEP),
    Role.DEPARTMENT_OFFICER: _POSTINGS_SEE,
    Role.TOWNSHIP_CLERK: (*_KEEP, *_POSTINGS_SEE),
    Role.TOWNSHIP_SUPERVISOR: (*_KEEP, *_POSTINGS_SEE),
    Role.VILLAGE_CLERK: (*_VILLAGE_SEE, *_TRAINING_SEE),
}
