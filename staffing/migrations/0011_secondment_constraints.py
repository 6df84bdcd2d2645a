"""The secondment's three-hands rules as constraints and its index by state, after 0010 has given
the existing rows their state (a migration of its own: PostgreSQL alters no table with the data
migration's pending trigger events in the same transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("staffing", "0010_secondment_in_three_hands")]

    operations = [
        migrations.AddIndex(
            model_name='secondment',
            index=models.Index(fields=['host_unit', 'state'], name='secondment_host_state'),
        ),
        migrations.AddConstraint(
            model_name='secondment',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ('drafted', 'approved', 'in_force'))), fields=('cadre',), name='secondment_one_live_per_cadre', violation_error_message='The cadre already has a secondment pending or in force; a cadre serves in one township at a time.'),
        ),
        migrations.AddConstraint(
            model_name='secondment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['in_force', 'ended']), _negated=True), models.Q(('arrived_on__gte', models.F('start_date')), ('arrived_on__isnull', False)), _connector='OR'), name='secondment_in_force_from_arrival'),
        ),
        migrations.AddConstraint(
            model_name='secondment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('actual_end__isnull', False), ('state', 'ended')), models.Q(models.Q(('state', 'ended'), _negated=True), ('actual_end__isnull', True)), _connector='OR'), name='secondment_ended_state_has_end'),
        ),
        migrations.AddConstraint(
            model_name='secondment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'declined'), _negated=True), models.Q(('decision_reason', ''), _negated=True), _connector='OR'), name='secondment_declined_has_reason'),
        ),
    ]
