"""Which of this app's model permissions each role holds (merged by governance.access): only the
city administrator registers API clients and reads their calls and webhook deliveries."""

from governance.roles import Role

ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("api.*",),
}
