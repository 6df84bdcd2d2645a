"""Rename each (unit, role) group from "<unit code>:<role>" to "unit:<unit pk>:<role>" (issue 11:
a reused unit code handed a township's grants to another). The unit is the one the group's grants
sit on, so a code changed since the group was made does not matter."""

from django.db import migrations


def _rename(apps, schema_editor, name_for):
    Group = apps.get_model("auth", "Group")
    grants = apps.get_model("governance", "UnitGroupObjectPermission")
    units = dict(grants.objects.values_list("group_id", "content_object_id"))
    Unit = apps.get_model("governance", "Unit")
    codes = dict(Unit.objects.filter(pk__in=set(units.values())).values_list("pk", "code"))
    for group in Group.objects.filter(pk__in=units):
        role = group.name.rsplit(":", 1)[-1]
        unit_id = units[group.pk]
        group.name = name_for(unit_id, codes[unit_id], role)
        group.save(update_fields=["name"])


def by_pk(apps, schema_editor):
    _rename(apps, schema_editor, lambda pk, code, role: f"unit:{pk}:{role}")


def by_code(apps, schema_editor):
    _rename(apps, schema_editor, lambda pk, code, role: f"{code}:{role}")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_repair_unit_paths_and_bound_dates"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(by_pk, by_code)]
