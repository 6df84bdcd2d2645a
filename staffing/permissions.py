"""Which of this app's model permissions each role holds (merged by governance.access).

Model permissions decide which screens a role has; the units it may act in come from its
capabilities, and every step is re-checked by ``staffing.services``. Workflow records are
never changed through a plain form: "change" on them means "may use the step buttons".
"""

from governance.roles import Role


def _view(*models: str) -> tuple[str, ...]:
    return tuple(f"staffing.view_{model}" for model in models)


ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("staffing.*",),
    Role.COUNTY_ORGANISATION: (
        *_view("cadre", "secondment", "assessment", "nomination", "appointmentproposal", "townshipstaffing"),
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
        *_view("cadre", "secondment", "assessment", "appointmentproposal"),
        "staffing.add_cadre",
        "staffing.change_cadre",
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
        "staffing.change_assessment",
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
        "staffing.add_assessmentcycle",
        "staffing.change_assessmentcycle",
        "staffing.change_assessment",
        "staffing.add_nomination",
        "staffing.change_appointmentproposal",
    ),
}
