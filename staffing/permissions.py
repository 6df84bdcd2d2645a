"""Which of this app's model permissions each role holds (merged by governance.access)."""

from governance.roles import Role

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("staffing.*",),
}
