# Scheduling's own bookings and holds are new tables (filled from legal's holds by
# legal 0004 and referrals 0003); availability and calendar feeds are legal's tables,
# renamed by legal 0003 and taken over here with their rows (state only).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("legal", "0003_scheduling_takes_the_tables"),
        ("sites", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Booking",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "booking",
                "verbose_name_plural": "bookings",
            },
        ),
        migrations.CreateModel(
            name="SlotHold",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField()),
                ("booking", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="holds", to="scheduling.booking")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("user", "starts_at"), name="slot_hold_once_per_user")],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("token", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now=True)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="calendar_feed", to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.CreateModel(
                    name="Availability",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("advisor", "Legal advisor"), ("interpreter", "Interpreter")], max_length=12, verbose_name="as")),
                        ("repeat", models.CharField(choices=[("weekly", "Every week"), ("once", "Once")], max_length=8, verbose_name="repeats")),
                        ("weekday", models.PositiveSmallIntegerField(blank=True, choices=[(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"), (6, "Sunday")], null=True, verbose_name="weekday")),
                        ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                        ("valid_from", models.DateField(blank=True, null=True, verbose_name="from")),
                        ("valid_until", models.DateField(blank=True, null=True, verbose_name="until")),
                        ("start_time", models.TimeField(verbose_name="start")),
                        ("end_time", models.TimeField(verbose_name="end")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("site", models.ForeignKey(blank=True, help_text="Empty: by phone.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sites.site", verbose_name="site")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="availability", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "availability",
                        "verbose_name_plural": "availability",
                        "ordering": ["repeat", "weekday", "date", "start_time"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("end_time__gt", models.F("start_time"))), name="availability_ends_after_start"),
                            models.CheckConstraint(condition=models.Q(models.Q(("date__isnull", True), ("repeat", "weekly"), ("weekday__isnull", False)), models.Q(("date__isnull", False), ("repeat", "once"), ("weekday__isnull", True)), _connector="OR"), name="availability_weekly_or_once"),
                            models.CheckConstraint(condition=models.Q(("valid_until__isnull", True), ("valid_from__isnull", True), ("valid_until__gte", models.F("valid_from")), _connector="OR"), name="availability_valid_range"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
