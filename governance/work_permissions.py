"""Which of governance's model permissions each role holds over the work beyond cases (issue 16):
the enforcement team, the power list. Merged by governance.access; the units come from the role's capabilities."""

from governance.roles import Role

_SEE = (
    "governance.view_enforcementmember",
    "governance.view_townshippower",
    "governance.view_powerlistversion",
    "governance.export_townshippower",
)
_KEEP = (*_SEE, "governance.add_enforcementmember", "governance.change_enforcementmember")
# The township's supervisor keeps its own powers (by hand or from a sheet) and publishes its power list.
_PUBLISH = (
    *_KEEP,
    "governance.add_townshippower",
    "governance.change_townshippower",
    "governance.import_townshippower",
)

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COUNTY_GOVERNANCE_CENTRE: _SEE,
    Role.COUNTY_ORGANISATION: _SEE,
    Role.TOWNSHIP_CLERK: _KEEP,
    Role.TOWNSHIP_SUPERVISOR: _PUBLISH,
    Role.TOWNSHIP_OFFICE: _SEE,
}
