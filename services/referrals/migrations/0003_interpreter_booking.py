# A referral's interpreter is held by a scheduling Booking that the referral points to;
# the holds it had in legal's table are copied to scheduling's.

import django.db.models.deletion
from django.db import migrations, models


def copy_holds(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    OldHold = apps.get_model("legal", "SlotHold")
    Booking = apps.get_model("scheduling", "Booking")
    NewHold = apps.get_model("scheduling", "SlotHold")
    held = OldHold.objects.filter(referral_id__isnull=False)
    for referral in Referral.objects.filter(pk__in=held.values("referral_id")).iterator():
        referral.interpreter_booking = Booking.objects.create()
        referral.save(update_fields=["interpreter_booking"])
        NewHold.objects.bulk_create(
            NewHold(booking_id=referral.interpreter_booking_id, user_id=user_id, starts_at=at)
            for user_id, at in held.filter(referral_id=referral.pk).values_list(
                "user_id", "starts_at"
            )
        )


def restore_holds(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    OldHold = apps.get_model("legal", "SlotHold")
    NewHold = apps.get_model("scheduling", "SlotHold")
    for referral in Referral.objects.filter(interpreter_booking__isnull=False).iterator():
        held = NewHold.objects.filter(booking_id=referral.interpreter_booking_id)
        OldHold.objects.bulk_create(
            OldHold(referral_id=referral.pk, user_id=user_id, starts_at=starts_at)
            for user_id, starts_at in held.values_list("user_id", "starts_at")
        )
        held.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0002_interpreter"),
        ("scheduling", "0001_initial"),
        ("legal", "0004_appointment_booking"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="interpreter_booking",
            field=models.OneToOneField(
                blank=True,
                help_text="Holds the interpreter's time while the appointment is booked.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referral",
                to="scheduling.booking",
            ),
        ),
        migrations.RunPython(copy_holds, restore_holds),
    ]
