# Availability and calendar feeds move to services/scheduling with their rows: their
# tables are renamed here, and scheduling's first migration takes them over (state only).
# The old holds' uniqueness gives way to scheduling's own holds, filled from them next.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("legal", "0002_slot_hold_for_referrals"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="slothold", name="slot_hold_once_per_user"),
        migrations.AlterModelTable(name="availability", table="scheduling_availability"),
        migrations.AlterModelTable(name="calendarfeed", table="scheduling_calendarfeed"),
    ]
