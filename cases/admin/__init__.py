from cases.admin import cases, inspections, service_requests, taskforces  # noqa: F401  (registers the admins)
