from governance.admin import (  # noqa: F401  (registers the admins)
    access,
    calendar,
    catalogues,
    enforcement_team,
    import_refusals,
    posts,
    power_list,
    units,
    users,
)
