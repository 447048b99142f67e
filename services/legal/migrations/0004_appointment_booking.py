# Each appointment gets the scheduling Booking that holds its advisor's and
# interpreter's time; the holds it had in legal's table are copied to scheduling's.

import django.db.models.deletion
from django.db import migrations, models


def copy_holds(apps, schema_editor):
    Appointment = apps.get_model("legal", "Appointment")
    OldHold = apps.get_model("legal", "SlotHold")
    Booking = apps.get_model("scheduling", "Booking")
    NewHold = apps.get_model("scheduling", "SlotHold")
    for appointment in Appointment.objects.filter(booking__isnull=True).iterator():
        appointment.booking = Booking.objects.create()
        appointment.save(update_fields=["booking"])
        NewHold.objects.bulk_create(
            NewHold(booking_id=appointment.booking_id, user_id=user_id, starts_at=starts_at)
            for user_id, starts_at in OldHold.objects.filter(
                appointment_id=appointment.pk
            ).values_list("user_id", "starts_at")
        )


def restore_holds(apps, schema_editor):
    Appointment = apps.get_model("legal", "Appointment")
    OldHold = apps.get_model("legal", "SlotHold")
    NewHold = apps.get_model("scheduling", "SlotHold")
    for appointment in Appointment.objects.filter(booking__isnull=False).iterator():
        held = NewHold.objects.filter(booking_id=appointment.booking_id)
        OldHold.objects.bulk_create(
            OldHold(appointment_id=appointment.pk, user_id=user_id, starts_at=starts_at)
            for user_id, starts_at in held.values_list("user_id", "starts_at")
        )
        held.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("legal", "0003_scheduling_takes_the_tables"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="booking",
            field=models.OneToOneField(
                null=True,
                help_text="Holds the advisor's and the interpreter's time while it is open.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legal_appointment",
                to="scheduling.booking",
            ),
        ),
        migrations.RunPython(copy_holds, restore_holds),
    ]
