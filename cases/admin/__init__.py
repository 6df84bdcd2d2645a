from cases.admin import cases, service_requests  # noqa: F401  (registers the admins)
