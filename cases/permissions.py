"""Which of this app's model permissions each role holds (merged by governance.access).

Model permissions decide which screens a role has; the units it may act in come from its
capabilities, and every step is re-checked by the services. Workflow records never change
through a plain form: "change" on them means "may use the step buttons".
"""

from governance.roles import Role


def _view(*models: str) -> tuple[str, ...]:
    return tuple(f"cases.view_{model}" for model in models)


ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("cases.*",),
    # Sees every case of the county; adds and reassigns departments, escalates.
    Role.COUNTY_GOVERNANCE_CENTRE: (
        *_view("case", "caseassignment", "servicerequest"),
        "cases.change_case",
        "cases.change_caseassignment",
    ),
    # Accepts, feeds back, responds, declines: the department's own assignments only.
    Role.DEPARTMENT_OFFICER: (*_view("case", "caseassignment"), "cases.change_caseassignment"),
    # Raises cases, adds attachments, logs and handles service requests.
    Role.TOWNSHIP_CLERK: (
        *_view("case", "caseassignment", "servicerequest"),
        "cases.add_case",
        "cases.change_case",
        "cases.add_servicerequest",
        "cases.change_servicerequest",
    ),
    # A clerk's screens, plus rating the departments' responses.
    Role.TOWNSHIP_SUPERVISOR: (
        *_view("case", "caseassignment", "servicerequest"),
        "cases.add_case",
        "cases.change_case",
        "cases.change_caseassignment",
        "cases.add_servicerequest",
        "cases.change_servicerequest",
    ),
    # 乡镇社会治理室: every case and service request of the township; raises cases, completes the
    # requests the village desks pass on, chases overdue steps (the "chase" step on assignments).
    Role.TOWNSHIP_OFFICE: (
        *_view("case", "caseassignment", "servicerequest"),
        "cases.add_case",
        "cases.change_case",
        "cases.change_caseassignment",
        "cases.add_servicerequest",
        "cases.change_servicerequest",
    ),
    # Logs and handles service requests at the village desk; sees the village's cases.
    Role.VILLAGE_CLERK: (
        *_view("case", "caseassignment", "servicerequest"),
        "cases.add_servicerequest",
        "cases.change_servicerequest",
    ),
}
