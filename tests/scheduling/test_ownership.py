"""
Where two services meet, one owns the link: a legal appointment and a referral's
interpreter point to the scheduling Booking that holds their time, and nothing in
scheduling points back to them or imports them.
"""

import ast
from pathlib import Path

from django.apps import apps

from services.legal.models import Appointment
from services.referrals.models import Referral
from services.scheduling.models import Booking

SCHEDULING = Path(apps.get_app_config("scheduling").path)


def test_scheduling_models_point_only_to_accounts_sites_and_themselves():
    targets = {
        field.related_model._meta.app_label
        for model in apps.get_app_config("scheduling").get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation
    }
    assert targets <= {"scheduling", "accounts", "sites"}


def test_the_field_services_point_to_their_booking():
    assert Appointment._meta.get_field("booking").related_model is Booking
    assert Referral._meta.get_field("interpreter_booking").related_model is Booking


def test_scheduling_imports_no_field_service():
    field_services = ("legal", "referrals", "casework", "partners", "distributions", "shifts")
    imported = set()
    for path in SCHEDULING.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert not [
        m for m in imported if m.split(".")[:2] in [["services", s] for s in field_services]
    ]
