from governance.admin import access, calendar, catalogues, posts, units, users  # noqa: F401  (registers the admins)
