"""Repair the materialised paths (issue 10). Before this release ``Unit.save`` built a unit's
path from its parent's in-memory path, which an import saving a county and its subtree from
one file did not know yet: most units got a path of their own code only, so a grant on the
county covered nothing below it. Every path is recomputed here from ``parent_id``, top down.

Also (issue 10): an enforcement item's dates lie between 1900 and 2100 (``governance.dates``);
a validator only, nothing stored changes.
"""

from django.db import migrations, models

import governance.dates


def repair(apps, schema_editor):
    Unit = apps.get_model("governance", "Unit")
    rows = list(Unit.objects.values_list("pk", "code", "parent_id", "path"))
    children: dict = {}
    for pk, code, parent_id, _path in rows:
        children.setdefault(parent_id, []).append((pk, code))
    wanted = {}
    stack = [(pk, f"/{code}/") for pk, code in children.get(None, [])]
    while stack:
        pk, path = stack.pop()
        wanted[pk] = path
        stack.extend((child, f"{path}{code}/") for child, code in children.get(pk, []))
    for pk, _code, _parent_id, path in rows:
        if pk in wanted and wanted[pk] != path:
            Unit.objects.filter(pk=pk).update(path=wanted[pk])


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_import_files_purged")]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='enforcementitem',
            name='effective_from',
            field=models.DateField(validators=[governance.dates.date_in_range], verbose_name='in force from'),
        ),
        migrations.AlterField(
            model_name='enforcementitem',
            name='effective_to',
            field=models.DateField(blank=True, help_text='Inclusive; empty while in force.', null=True, validators=[governance.dates.date_in_range], verbose_name='in force until'),
        ),
        migrations.AlterField(
            model_name='historicalenforcementitem',
            name='effective_from',
            field=models.DateField(validators=[governance.dates.date_in_range], verbose_name='in force from'),
        ),
        migrations.AlterField(
            model_name='historicalenforcementitem',
            name='effective_to',
            field=models.DateField(blank=True, help_text='Inclusive; empty while in force.', null=True, validators=[governance.dates.date_in_range], verbose_name='in force until'),
        ),
    ]
