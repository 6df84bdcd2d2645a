from governance.admin import access, posts, units, users  # noqa: F401  (registers the admins)
