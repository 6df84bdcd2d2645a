"""Which model permissions each role holds over the work beyond cases (issue 16): inspections,
task forces, branch pairing, village terminals. Merged by governance.access like ``cases.permissions``. The units
each role acts in come from its capabilities, and the services check them again."""

from governance.roles import Role


def _perms(action: str, *models: str) -> tuple[str, ...]:
    return tuple(f"cases.{action}_{model}" for model in models)


_SEE = _perms("view", "inspection", "inspectionfinding", "taskforce", "taskforcemilestone", "taskforceprogress")
_BRANCHES = ("partybranch", "branchpair", "pairactivity")
# The branch register's sheet: exported by whoever sees the branches, imported by their keepers
# (cases.branch_services.may_keep: the county organisation department, a township's clerks and supervisor).
_SEE_BRANCHES = (*_perms("view", *_BRANCHES), "governance.export_partybranch")
_KEEP_BRANCHES = (*_SEE_BRANCHES, *_perms("add", *_BRANCHES), *_perms("change", *_BRANCHES))
_IMPORT_BRANCHES = ("governance.import_partybranch",)
_TOWNSHIP_WORK = (
    *_KEEP_BRANCHES,
    *_SEE,
    *_perms("add", "inspection", "taskforce", "taskforcemilestone"),
    *_perms("change", "inspection", "inspectionfinding", "taskforce", "taskforcemilestone"),
)
# The county governance centre runs county-wide task forces; the organisation department sees.
_COUNTY_CENTRE = (
    *_SEE,
    *_perms("add", "taskforce", "taskforcemilestone"),
    *_perms("change", "taskforce", "taskforcemilestone"),
)
_COUNTY_SEES = (*_SEE, *_SEE_BRANCHES)

# Village terminals: kept by whoever logs the village's service requests; the county sees them.
_TERMINAL = _perms("view", "villageterminal")
_KEEP_TERMINAL = (*_TERMINAL, *_perms("add", "villageterminal"), *_perms("change", "villageterminal"))

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.COUNTY_GOVERNANCE_CENTRE: (*_COUNTY_CENTRE, *_SEE_BRANCHES, *_TERMINAL),
    # The organisation department keeps the county's party branches and their pairs (支部联支部).
    Role.COUNTY_ORGANISATION: (*_COUNTY_SEES, *_KEEP_BRANCHES, *_IMPORT_BRANCHES),
    Role.TOWNSHIP_CLERK: (*_TOWNSHIP_WORK, *_KEEP_TERMINAL, *_IMPORT_BRANCHES),
    Role.TOWNSHIP_SUPERVISOR: (*_TOWNSHIP_WORK, *_KEEP_TERMINAL, *_IMPORT_BRANCHES),
    Role.TOWNSHIP_OFFICE: (*_TOWNSHIP_WORK, *_KEEP_TERMINAL),
    Role.VILLAGE_CLERK: _KEEP_TERMINAL,
}
