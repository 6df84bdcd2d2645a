"""Which of governance's model permissions each role holds over the work beyond cases (issue 16):
the enforcement team. Merged by governance.access; the units come from the role's capabilities."""

from governance.roles import Role

_SEE = ("governance.view_enforcementmember",)
_KEEP = (*_SEE, "governance.add_enforcementmember", "governance.change_enforcementmember")

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COUNTY_GOVERNANCE_CENTRE: _SEE,
    Role.COUNTY_ORGANISATION: _SEE,
    Role.TOWNSHIP_CLERK: _KEEP,
    Role.TOWNSHIP_SUPERVISOR: _KEEP,
    Role.TOWNSHIP_OFFICE: _SEE,
}
