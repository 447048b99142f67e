"""
Demo data for `make demo`: a few sites, one account per role, ~200 people.

Everything goes through the real actions, so demo records obey the same rules (and
leave the same audit trail) as records made at the table.
"""

import random
import secrets

from django.db import transaction

from fieldapp.languages import Language
from services.accounts.actions import user_create
from services.accounts.models import User
from services.accounts.roles import Role
from services.people.actions import person_register
from services.people.models import Person
from services.people.phones import phone_parse
from services.sites.actions import site_create
from services.sites.models import Site

DEMO_SITES = [
    ("Calais – Hospital site", Site.Kind.CAMP, "Calais"),
    ("Calais – BMX track", Site.Kind.CAMP, "Calais"),
    ("Grande-Synthe – Puythouck", Site.Kind.CAMP, "Grande-Synthe"),
    ("Calais – Rue des Verrotières", Site.Kind.DISTRIBUTION_POINT, "Calais"),
    ("Warehouse", Site.Kind.WAREHOUSE, "Calais"),
]
NICKNAMES = [
    "Ahmed",
    "Mohamed",
    "Abdullah",
    "Yonas",
    "Dawit",
    "Ali",
    "Hassan",
    "Omar",
    "Samir",
    "Ibrahim",
    "Tesfay",
    "Kidane",
    "Haben",
    "Rahmat",
    "Jawad",
    "Karwan",
    "Rebwar",
    "Hiwa",
    "Bilal",
    "Imran",
    "Faisal",
    "Mustafa",
    "Yusuf",
    "Abel",
    "Amanuel",
    "Saeed",
    "Reza",
    "Hamid",
    "Nawid",
    "Zaki",
    "علي",
    "محمد",
    "یوسف",
    "ዮናስ",
    "ዳዊት",
    "",
    "",
]
LANGUAGE_WEIGHTS = {
    Language.AR: 30,
    Language.TI: 18,
    Language.PS: 14,
    Language.FA: 12,
    Language.CKB: 10,
    Language.AM: 6,
    Language.UR: 5,
    Language.EN: 3,
    Language.FR: 2,
}


@transaction.atomic
def demo_load(*, people: int = 200, seed: int = 7) -> dict[str, str]:
    """Load the demo once. Returns {username: password} for accounts it created."""
    rng = random.Random(seed)  # noqa: S311 - demo names, not secrets
    sites = {name: Site.objects.filter(name=name).first() for name, _kind, _area in DEMO_SITES}
    for name, kind, area in DEMO_SITES:
        if sites[name] is None:
            sites[name] = site_create(actor=None, name=name, kind=kind, area=area)
    camps = [site for site in sites.values() if site and site.kind == Site.Kind.CAMP]

    passwords = {}
    for role in Role:
        if not User.objects.filter(username=role.value).exists():
            password = secrets.token_urlsafe(9)
            user_create(username=role.value, password=password, role=role, site=camps[0])
            passwords[role.value] = password

    coordinator = User.objects.get(username=Role.COORDINATOR.value)
    missing = people - Person.objects.count()
    languages, weights = zip(*LANGUAGE_WEIGHTS.items(), strict=True)
    for index in range(max(0, missing)):
        phone = None
        if rng.random() < 0.7:
            # 01 99 00 xx xx is kept by ARCEP for fiction: no real person has these numbers.
            phone = phone_parse("019900" + "".join(rng.choice("0123456789") for _ in range(4)))
        person_register(
            actor=coordinator,
            home_site=camps[index % len(camps)],
            language=rng.choices(languages, weights)[0],
            name=rng.choice(NICKNAMES),
            phone=phone,
            sms_consent=phone is not None and rng.random() < 0.8,
            allow_shared_phone=True,
        )
    return passwords
