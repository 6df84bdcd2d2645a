"""For data migrations that give an existing role a new capability (the loader skips this module:
its name starts with an underscore). A (unit, role) group gets its capabilities when it is made
(``governance.access``), so the groups made before a capability existed are given it here."""


def grant_capability(apps, *, codename: str, name: str, roles: tuple[str, ...]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    grants = apps.get_model("governance", "UnitGroupObjectPermission")
    unit_type, _created = ContentType.objects.get_or_create(app_label="governance", model="unit")
    permission, _created = Permission.objects.get_or_create(
        content_type=unit_type, codename=codename, defaults={"name": name}
    )
    for role in roles:
        for group in Group.objects.filter(name__startswith="unit:", name__endswith=f":{role}"):
            unit_id = int(group.name.split(":")[1])
            grants.objects.get_or_create(permission=permission, group=group, content_object_id=unit_id)


def revoke_capability(apps, *, codename: str) -> None:
    apps.get_model("governance", "UnitGroupObjectPermission").objects.filter(
        permission__codename=codename, permission__content_type__app_label="governance"
    ).delete()
