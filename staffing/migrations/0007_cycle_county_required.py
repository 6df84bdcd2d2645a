"""The cycle's county, filled by 0006 for existing cycles, is required; the ceiling bounds the share.
(A migration of its own: PostgreSQL refuses to alter a table with the data migration's pending
foreign-key checks in the same transaction.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("staffing", "0006_excellent_quota_pools")]

    operations = [
        migrations.AlterField(
            model_name='assessmentcycle',
            name='county',
            field=models.ForeignKey(editable=False, help_text='The county whose townships the cycle covers.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='governance.unit', verbose_name='county'),
        ),
        migrations.AddConstraint(
            model_name='assessmentcycle',
            constraint=models.CheckConstraint(condition=models.Q(('excellent_ceiling_percent__gte', models.F('excellent_cap_percent')), ('excellent_ceiling_percent__lte', 100)), name='cycle_ceiling_within_share_and_100', violation_error_message='The hard ceiling on excellent grades cannot be below the usual share.'),
        ),
    ]
