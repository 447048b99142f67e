"""Demo partners for `make demo` (fieldapp/demo.py): made through the actions, once."""

from services.accounts.models import User

from .actions import partner_create, partner_service_create
from .models import Area, Partner

K = Partner.Kind
# name, kind, SMS place, languages, services (name, area)
DEMO_PARTNERS = [
    (
        "PASS – Centre hospitalier de Calais",
        K.PASS,
        "Hôpital de Calais, porte B",
        ["fr", "en"],
        [("General consultation", Area.MEDICAL), ("Wound care", Area.MEDICAL)],
    ),
    (
        "MSF clinic Grande-Synthe",
        K.NGO_CLINIC,
        "Rue du Puythouck",
        ["fr", "en", "ar", "fa"],
        [("General consultation", Area.MEDICAL), ("Mental health listening", Area.MEDICAL)],
    ),
    (
        "Cabinet dentaire Nord",
        K.DENTIST,
        "Place d'Armes 3",
        ["fr"],
        [("Dental care", Area.MEDICAL)],
    ),
    (
        "Legal aid Calais",
        K.LEGAL_ORGANISATION,
        "Maison des associations",
        ["fr", "en", "ar"],
        [("Asylum advice", Area.LEGAL), ("Family reunion (UK)", Area.LEGAL)],
    ),
]


def demo_partners(coordinator: User) -> None:
    for name, kind, place, languages, services in DEMO_PARTNERS:
        if Partner.objects.filter(name=name).exists():
            continue
        partner = partner_create(
            actor=coordinator, name=name, kind=kind, sms_place=place, languages=languages
        )
        for service_name, area in services:
            partner_service_create(actor=coordinator, partner=partner, name=service_name, area=area)
