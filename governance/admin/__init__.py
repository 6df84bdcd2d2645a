from governance.admin import access, posts, units  # noqa: F401  (registers the admins)
