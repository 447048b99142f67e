"""
Every free-text field of a medical or legal record is encrypted at rest, and one added
later without encryption fails here until it is encrypted or its plain text justified.
"""

from django.apps import apps
from django.db import models

from fieldapp.crypto import EncryptedTextField

# Plain on purpose: what the field holds, and why it is not sensitive.
PLAIN = {
    # The neutral place that goes into the SMS and to every volunteer (partner's sms_place
    # by default); the form tells the medical volunteer never to name the care there.
    "referrals.Referral.appointment_place",
    "referrals.ReferralEvent.appointment_place",
    # A random secret compared by equality in the database, not a note.
    "scheduling.CalendarFeed.token",
}


def test_free_text_of_medical_and_legal_records_is_encrypted():
    plain = {
        f"{model._meta.label}.{field.name}"
        for app in ("referrals", "legal", "scheduling")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, EncryptedTextField)
        and not field.choices
    }
    assert plain == PLAIN
