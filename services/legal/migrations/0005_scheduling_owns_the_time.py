# Once every hold is in scheduling's table (legal 0004, referrals 0003), legal's holds
# go, availability and calendar feeds leave legal's state (their tables are
# scheduling's already), and every appointment has its booking.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("legal", "0004_appointment_booking"),
        ("referrals", "0003_interpreter_booking"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="SlotHold"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Availability"),
                migrations.DeleteModel(name="CalendarFeed"),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="appointment",
            name="booking",
            field=models.OneToOneField(
                help_text="Holds the advisor's and the interpreter's time while it is open.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legal_appointment",
                to="scheduling.booking",
            ),
        ),
    ]
