"""The roles of DESIGN.md §2 and what each carries.

A role is held in one unit. It brings two kinds of permission:
- model permissions (which screens and record types), held by one group per role;
- capabilities (object permissions on the unit, django-guardian), held by one group per
  (unit, role). A capability granted on a unit covers the unit's whole subtree: a township
  role covers its villages, a county role the county (departments and villages are leaves).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    COUNTY_ORGANISATION = "county_organisation", _("County organisation officer")
    COUNTY_GOVERNANCE_CENTRE = "county_centre", _("County governance centre")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    TOWNSHIP_CLERK = "township_clerk", _("Township clerk")
    TOWNSHIP_SUPERVISOR = "township_supervisor", _("Township supervisor")
    TOWNSHIP_OFFICE = "township_office", _("Township governance office")
    VILLAGE_CLERK = "village_clerk", _("Village clerk")


class Capability:
    """Codenames of the object permissions on ``governance.Unit`` (see ``Unit.Meta.permissions``)."""

    SEE_RECORDS = "see_unit_records"
    RAISE_CASE = "raise_case"
    RATE_CASE = "rate_case"
    HANDLE_ASSIGNMENT = "handle_assignment"
    COORDINATE_CASES = "coordinate_cases"
    LOG_SERVICE_REQUEST = "log_service_request"
    DRAFT_ASSESSMENT = "draft_assessment"
    APPROVE_ASSESSMENT = "approve_assessment"
    NOMINATE_CADRE = "nominate_cadre"
    DECIDE_APPOINTMENT = "decide_appointment"
    PROPOSE_APPOINTMENT = "propose_appointment"
    DECIDE_NOMINATION = "decide_nomination"
    VIEW_PERSONAL_INFO = "view_personal_info"
    # The county organisation department's own powers over seconded cadres (issue 14): county-wide
    # assessment cycles and their quota, settling what is left unresolved, reviews, secondments.
    ORGANISE_CADRES = "organise_cadres"
    # The host township confirms a seconded cadre's arrival (报到): the secondment is in force from then.
    RECEIVE_CADRE = "receive_cadre"
    # The township governance office chases the township's overdue steps (催办, issue 14).
    CHASE_OVERDUE = "chase_overdue"


@dataclass(frozen=True)
class RoleSpec:
    unit_levels: frozenset[str]
    capabilities: tuple[str, ...]
    # "app_label.codename", or "app_label.*" for every permission of an app.
    model_permissions: tuple[str, ...]


# Each app says which of its model permissions each role holds, in ``<app>/permissions.py``
# as ``ROLE_MODEL_PERMISSIONS: dict[Role, tuple[str, ...]]``.
ROLE_PERMISSION_MODULES = (
    "staffing.permissions",
    "staffing.people.permissions",
    "cases.permissions",
    "governance.api.permissions",
    "cases.work_permissions",
    "governance.work_permissions",
)

_TOWNSHIP_CLERK_CAPABILITIES = (
    Capability.SEE_RECORDS,
    Capability.RAISE_CASE,
    Capability.LOG_SERVICE_REQUEST,
    Capability.DRAFT_ASSESSMENT,
    Capability.RECEIVE_CADRE,
)
# Every role sees the unit tree and the catalogues of devolved powers (the same for everybody);
# only the city administrator edits them (governance.*).
_SEE_CATALOGUES = (
    "governance.view_serviceitem",
    "governance.view_enforcementitem",
    "governance.view_coordinationitem",
    "governance.view_coordinationdeadline",
)
_SEE_UNITS = ("governance.view_unit", *_SEE_CATALOGUES)
_SEE_POSTS = ("governance.view_leadershippost",)

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.CITY_ADMIN: RoleSpec(
        unit_levels=frozenset({"city"}),
        capabilities=tuple(value for name, value in vars(Capability).items() if name.isupper()),
        model_permissions=("governance.*", "auth.view_user", "auth.add_user", "auth.change_user"),
    ),
    Role.COUNTY_ORGANISATION: RoleSpec(
        unit_levels=frozenset({"county"}),
        capabilities=(
            Capability.SEE_RECORDS,
            Capability.PROPOSE_APPOINTMENT,
            Capability.DECIDE_NOMINATION,
            Capability.VIEW_PERSONAL_INFO,
            Capability.ORGANISE_CADRES,
        ),
        model_permissions=_SEE_UNITS + _SEE_POSTS,
    ),
    Role.COUNTY_GOVERNANCE_CENTRE: RoleSpec(
        unit_levels=frozenset({"county"}),
        capabilities=(Capability.SEE_RECORDS, Capability.COORDINATE_CASES),
        model_permissions=_SEE_UNITS + _SEE_POSTS,
    ),
    Role.DEPARTMENT_OFFICER: RoleSpec(
        unit_levels=frozenset({"organ"}),
        capabilities=(Capability.SEE_RECORDS, Capability.HANDLE_ASSIGNMENT, Capability.PROPOSE_APPOINTMENT),
        model_permissions=_SEE_UNITS,
    ),
    Role.TOWNSHIP_CLERK: RoleSpec(
        unit_levels=frozenset({"township"}),
        capabilities=_TOWNSHIP_CLERK_CAPABILITIES,
        model_permissions=_SEE_UNITS,
    ),
    Role.TOWNSHIP_SUPERVISOR: RoleSpec(
        unit_levels=frozenset({"township"}),
        capabilities=(
            *_TOWNSHIP_CLERK_CAPABILITIES,
            Capability.RATE_CASE,
            Capability.APPROVE_ASSESSMENT,
            Capability.NOMINATE_CADRE,
            Capability.DECIDE_APPOINTMENT,
        ),
        model_permissions=_SEE_UNITS,
    ),
    # 乡镇社会治理室: the speech gives command and coordination powers to the county governance
    # centre *and* the township office. It sees every case and service request of the township,
    # completes the requests the village desks pass on, chases overdue steps and raises cases; the
    # township supervisor keeps rating and the personnel powers (issue 14).
    Role.TOWNSHIP_OFFICE: RoleSpec(
        unit_levels=frozenset({"township"}),
        capabilities=(
            Capability.SEE_RECORDS,
            Capability.RAISE_CASE,
            Capability.LOG_SERVICE_REQUEST,
            Capability.CHASE_OVERDUE,
        ),
        model_permissions=_SEE_UNITS,
    ),
    Role.VILLAGE_CLERK: RoleSpec(
        unit_levels=frozenset({"village"}),
        capabilities=(Capability.SEE_RECORDS, Capability.LOG_SERVICE_REQUEST),
        model_permissions=_SEE_UNITS,
    ),
}


ROLE_NOT_FOR_UNIT_LEVEL = _("The role “%(role)s” is held in a %(levels)s unit, not in “%(unit)s”.")


def role_fits_unit(role: str, unit) -> None:
    """A role is held only in a unit of its level (a township clerk in a township, …)."""
    from governance.models import UnitLevel

    levels = ROLE_SPECS[role].unit_levels
    if unit.level not in levels:
        raise ValidationError(
            {
                "unit": ValidationError(
                    ROLE_NOT_FOR_UNIT_LEVEL,
                    params={
                        "role": Role(role).label,
                        "levels": "、".join(str(UnitLevel(level).label) for level in sorted(levels)),
                        "unit": unit.name,
                    },
                )
            }
        )
