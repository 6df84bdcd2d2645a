from cases.admin import (  # noqa: F401  (registers the admins)
    branch_pairing,
    cases,
    inspections,
    service_requests,
    taskforces,
    terminals,
)
