from governance.admin import access, calendar, catalogues, posts, site, units, users  # noqa: F401  (registers the admins)
