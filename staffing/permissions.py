"""Which of this app's model permissions each role holds (merged by governance.access).

Model permissions decide which screens a role has; the units it may act in come from its
capabilities, and every step is re-checked by ``staffing.services``. Workflow records are
never changed through a plain form: "change" on them means "may use the step buttons".
"""

from governance.roles import Role


def _view(*models: str) -> tuple[str, ...]:
    return tuple(f"staffing.view_{model}" for model in models)


# The township writes and approves its seconded cadres' monthly and quarterly records (平时考核).
_PERIODIC_RECORDS = ("staffing.view_periodicrecord", "staffing.add_periodicrecord", "staffing.change_periodicrecord")

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("staffing.*",),
    Role.COUNTY_ORGANISATION: (
        *_view(
            "cadre",
            "secondment",
            "assessmentcycle",
            "assessment",
            "nomination",
            "appointmentproposal",
            "townshipstaffing",
            "periodicrecord",
        ),
        "staffing.add_assessmentcycle",
        "staffing.change_assessmentcycle",
        "staffing.change_assessment",
        "staffing.add_cadre",
        "staffing.change_cadre",
        "staffing.add_secondment",
        "staffing.change_secondment",
        "staffing.change_nomination",
        "staffing.add_appointmentproposal",
        "staffing.change_appointmentproposal",
    ),
    Role.COUNTY_GOVERNANCE_CENTRE: _view("townshipstaffing"),
    Role.DEPARTMENT_OFFICER: (
        *_view("cadre", "secondment", "assessment", "appointmentproposal", "periodicrecord"),
        "staffing.add_cadre",
        "staffing.change_cadre",
        "staffing.add_secondment",  # the sending department drafts its secondments (issue 14)
        "staffing.change_secondment",
        "staffing.add_appointmentproposal",
        "staffing.change_appointmentproposal",
    ),
    Role.TOWNSHIP_CLERK: (
        *_view(
            "cadre",
            "secondment",
            "assessmentcycle",
            "assessment",
            "nomination",
            "appointmentproposal",
            "townshipstaffing",
        ),
        "staffing.add_cadre",
        "staffing.change_cadre",
        "staffing.change_secondment",  # the host township confirms the arrival (报到)
        "staffing.change_assessment",
        *_PERIODIC_RECORDS,
    ),
    Role.TOWNSHIP_SUPERVISOR: (
        *_view(
            "cadre",
            "secondment",
            "assessmentcycle",
            "assessment",
            "nomination",
            "appointmentproposal",
            "townshipstaffing",
        ),
        "staffing.add_cadre",
        "staffing.change_cadre",
        "staffing.change_secondment",
        "staffing.add_assessmentcycle",
        "staffing.change_assessmentcycle",
        "staffing.change_assessment",
        "staffing.add_nomination",
        "staffing.change_appointmentproposal",
        *_PERIODIC_RECORDS,
    ),
}

# Spreadsheet import and export of staffing records: separate explicit permissions, held on
# governance.ImportJob (issue 5); the rows each import may touch come from the role's capabilities.
_SPREADSHEETS = {
    Role.COUNTY_ORGANISATION: ("cadre", "secondment"),
    Role.DEPARTMENT_OFFICER: ("cadre",),  # secondments are recorded by the county organisation department
    Role.TOWNSHIP_CLERK: ("cadre", "assessment"),
    Role.TOWNSHIP_SUPERVISOR: ("cadre", "assessment"),
}
for _role, _records in _SPREADSHEETS.items():
    ROLE_MODEL_PERMISSIONS[_role] += tuple(
        f"governance.{action}_{record}" for record in _records for action in ("import", "export")
    )
