"""The tree's level rule held in the database (issue 2): a county sits under the city, a
township or a county organ under a county, a village under a township; a unit that has
children cannot change level. Check constraints cannot look at another row, so a trigger
does; ``Unit.clean`` gives the same rule a readable message on forms.
"""

from django.db import migrations

_ALLOWED = """(
    (NEW.level = 'city' AND {parent} IS NULL)
    OR (NEW.level = 'county' AND {parent} = 'city')
    OR (NEW.level IN ('township', 'organ') AND {parent} = 'county')
    OR (NEW.level = 'village' AND {parent} = 'township')
)"""

POSTGRES_FORWARD = f"""
CREATE FUNCTION governance_unit_tree_check() RETURNS trigger AS $$
DECLARE parent_level varchar;
BEGIN
    SELECT level INTO parent_level FROM governance_unit WHERE id = NEW.parent_id;
    IF NOT {_ALLOWED.format(parent="parent_level")} THEN
        RAISE EXCEPTION 'unit %: a % unit cannot sit under a % unit', NEW.code, NEW.level, coalesce(parent_level, 'no')
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.level <> OLD.level
       AND EXISTS (SELECT 1 FROM governance_unit WHERE parent_id = NEW.id) THEN
        RAISE EXCEPTION 'unit %: a unit with children cannot change level', NEW.code
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER governance_unit_tree_check BEFORE INSERT OR UPDATE OF parent_id, level ON governance_unit
    FOR EACH ROW EXECUTE FUNCTION governance_unit_tree_check();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS governance_unit_tree_check ON governance_unit;
DROP FUNCTION IF EXISTS governance_unit_tree_check();
"""

_SQLITE_PARENT = "(SELECT level FROM governance_unit WHERE id = NEW.parent_id)"
SQLITE_FORWARD = [
    f"""CREATE TRIGGER governance_unit_tree_insert BEFORE INSERT ON governance_unit
    WHEN NOT {_ALLOWED.format(parent=_SQLITE_PARENT)}
    BEGIN SELECT RAISE(ABORT, 'unit level does not fit its parent'); END;""",
    f"""CREATE TRIGGER governance_unit_tree_update BEFORE UPDATE OF parent_id, level ON governance_unit
    WHEN NOT {_ALLOWED.format(parent=_SQLITE_PARENT)}
    BEGIN SELECT RAISE(ABORT, 'unit level does not fit its parent'); END;""",
    """CREATE TRIGGER governance_unit_level_with_children BEFORE UPDATE OF level ON governance_unit
    WHEN NEW.level <> OLD.level AND EXISTS (SELECT 1 FROM governance_unit WHERE parent_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'a unit with children cannot change level'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS governance_unit_tree_insert;",
    "DROP TRIGGER IF EXISTS governance_unit_tree_update;",
    "DROP TRIGGER IF EXISTS governance_unit_level_with_children;",
]


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def _run(schema_editor, postgres_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_sql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
