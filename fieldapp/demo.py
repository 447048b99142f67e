"""
Demo data for `make demo`: a few sites, one account per role, ~200 people, a small
catalogue with stock at the warehouse and the camps, and one distribution open today.
The volunteer has a profile (stay, languages, skills) and one invitation waits; more
volunteers who speak the queue's languages (a team lead among them) have a week of
shifts ahead with gaps to fill (services/shifts/demo.py); the accounts whose role signs
in with a second factor get one, printed once with the passwords so the demo can be
tried without setting one up.

Everything goes through the real actions, so demo records obey the same rules (and
leave the same audit trail) as records made at the table.
"""

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP

from fieldapp.languages import Language
from services.accounts.actions.invitations import invitation_create
from services.accounts.actions.profile import Profile, profile_of, profile_update
from services.accounts.actions.second_factor import (
    totp_confirmed,
    totp_setup_confirm,
    totp_setup_start,
)
from services.accounts.demo_passwords import demo_user_create
from services.accounts.models import Channel, Invitation, User
from services.accounts.roles import Role
from services.accounts.rules import needs_second_factor
from services.distributions.actions.catalogue import item_type_save
from services.distributions.actions.checkin import Line, checkin_record
from services.distributions.actions.sessions import Offer, session_plan, session_set_status
from services.distributions.actions.stock import stock_receive, stock_transfer
from services.distributions.models import DistributionSession, ItemType, StockMovement
from services.legal.demo import demo_legal
from services.partners.demo import demo_partners
from services.people.actions import person_register
from services.people.models import Person
from services.people.phones import phone_parse
from services.referrals.demo import demo_referrals
from services.shifts.demo import demo_shifts
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
CLOTHES = ["XS", "S", "M", "L", "XL", "XXL"]
SHOES = [str(size) for size in range(36, 48)]
C, A = ItemType.Category, ItemType.Audience
# name, fr, ar, category, sizes, audience, days between two, received per size at the warehouse
DEMO_ITEMS = [
    ("Sleeping bag", "Sac de couchage", "كيس نوم", C.BEDDING, [], A.ANYONE, 30, 120),
    ("Tent", "Tente", "خيمة", C.SHELTER, [], A.ANYONE, 60, 40),
    ("Shoes", "Chaussures", "حذاء", C.SHOES, SHOES, A.ANYONE, 30, 12),
    ("Jumper", "Pull", "كنزة", C.CLOTHING, CLOTHES, A.ANYONE, None, 30),
    ("Trousers", "Pantalon", "بنطال", C.CLOTHING, CLOTHES, A.ANYONE, None, 30),
    (
        "Hygiene kit (men)",
        "Kit d'hygiène (hommes)",
        "حقيبة نظافة (رجال)",
        C.HYGIENE,
        [],
        A.MEN,
        None,
        100,
    ),
    (
        "Hygiene kit (women)",
        "Kit d'hygiène (femmes)",
        "حقيبة نظافة (نساء)",
        C.HYGIENE,
        [],
        A.WOMEN,
        None,
        40,
    ),
    ("Phone charger cable", "Câble de chargeur", "كابل شاحن", C.PHONE, [], A.ANYONE, None, 80),
]
# Fictional donors, so the donor report shows what each one's stock became.
DEMO_DONORS = ["Northern Warmth Appeal", "Parish of Saint-Pierre", "Channel Kitchens Trust"]
# People checked in at today's distribution, so the donor report has something to count.
DEMO_SERVED_TODAY = 24
# What each camp gets from the warehouse: a share of every size received.
CAMP_SHARE = 4
TODAY_OFFERS = ["Sleeping bag", "Shoes", "Jumper", "Hygiene kit (men)", "Hygiene kit (women)"]

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
            demo_user_create(username=role.value, password=password, role=role, site=camps[0])
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

    items = _demo_catalogue(coordinator)
    warehouse = Site.objects.get(name="Warehouse")
    _demo_stock(coordinator, items, warehouse, camps)
    _demo_session_today(coordinator, items, camps[0])
    demo_partners(coordinator)
    demo_referrals(User.objects.get(username=Role.MEDICAL.value), camps[0])
    passwords.update(demo_legal(camps[0]))
    _demo_team(coordinator, camps)
    passwords.update(demo_shifts(coordinator, camps))
    return passwords


def _demo_team(coordinator: User, camps: list[Site]) -> None:
    """The volunteer's profile for planning, and one invitation waiting to be accepted."""
    volunteer = User.objects.get(username=Role.VOLUNTEER.value)
    if volunteer.leaves_on is None:
        today = timezone.localdate()
        volunteer.email = "volunteer@example.org"
        volunteer.save(update_fields=["email"])
        profile_update(
            actor=volunteer,
            profile=Profile(
                **{
                    **profile_of(volunteer).__dict__,
                    "notify_by": Channel.EMAIL,
                    "arrives_on": today - timedelta(days=3),
                    "leaves_on": today + timedelta(days=11),
                    "spoken": {"en": "native", "fr": "working", "ar": "basic"},
                    "skills": frozenset({"driver", "first_aid"}),
                }
            ),
        )
    if not Invitation.objects.exists():
        invitation_create(
            actor=coordinator,
            email="new.volunteer@example.org",
            role=Role.VOLUNTEER,
            sites=camps[:2],
            base_url="http://127.0.0.1:8000/",
        )


@dataclass(frozen=True)
class DemoSecondFactor:
    secret: str  # to type into an authenticator app
    recovery_codes: list[str]  # each signs in once


def demo_second_factors() -> dict[str, DemoSecondFactor]:
    """
    A confirmed TOTP device and recovery codes for each account whose role needs a
    second factor and has none yet, through the same actions as the setup page.
    """
    made = {}
    for user in User.objects.filter(is_active=True).order_by("username"):
        if not needs_second_factor(user) or totp_confirmed(user) is not None:
            continue
        setup = totp_setup_start(user=user)
        device = setup.device
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        _device, codes = totp_setup_confirm(user=user, token=f"{code:0{device.digits}d}")
        made[user.username] = DemoSecondFactor(setup.secret, codes)
    return made


def _demo_catalogue(coordinator: User) -> dict[str, ItemType]:
    items = {item.name: item for item in ItemType.objects.all()}
    for name, fr, ar, category, sizes, audience, days, _stock in DEMO_ITEMS:
        if name not in items:
            items[name] = item_type_save(
                actor=coordinator,
                name=name,
                names={"fr": fr, "ar": ar},
                category=category,
                sizes=sizes,
                audience=audience,
                min_interval_days=days,
            )
    return items


def _demo_stock(
    coordinator: User, items: dict[str, ItemType], warehouse: Site, camps: list[Site]
) -> None:
    """Received at the warehouse, then a share sent on to each camp: once only."""
    if StockMovement.objects.filter(site=warehouse).exists():
        return
    for index, (name, _fr, _ar, _category, sizes, _audience, _days, received) in enumerate(
        DEMO_ITEMS
    ):
        item = items[name]
        for size in sizes or [""]:
            stock_receive(
                actor=coordinator,
                site=warehouse,
                item=item,
                size=size,
                quantity=received,
                reason="Demo: donation",
                donor=DEMO_DONORS[index % len(DEMO_DONORS)],
            )
            for camp in camps:
                stock_transfer(
                    actor=coordinator,
                    source=warehouse,
                    target=camp,
                    item=item,
                    size=size,
                    quantity=max(1, received // CAMP_SHARE),
                )


def _demo_session_today(coordinator: User, items: dict[str, ItemType], camp: Site) -> None:
    """One distribution open today at the first camp, unless it already has one today."""
    today = timezone.localdate()
    if DistributionSession.objects.filter(site=camp, date=today).exists():
        return
    session = session_plan(
        actor=coordinator,
        site=camp,
        day=today,
        starts_at=time(10),
        ends_at=time(16),
        offers=[Offer(items[name], [], 2 if name == "Jumper" else 1) for name in TODAY_OFFERS],
    )
    session_set_status(actor=coordinator, session=session, status=DistributionSession.Status.OPEN)
    _demo_handouts(coordinator, items, session)


def _demo_handouts(
    coordinator: User, items: dict[str, ItemType], session: DistributionSession
) -> None:
    """A queue already served at today's distribution: a sleeping bag and a hygiene kit."""
    people = Person.objects.filter(home_site=session.site).order_by("pk")[:DEMO_SERVED_TODAY]
    for index, person in enumerate(people):
        kit = "Hygiene kit (women)" if index % 4 == 0 else "Hygiene kit (men)"
        checkin_record(
            actor=coordinator,
            session_id=session.pk,
            person_code=person.code,
            lines=[
                Line(item_id=items["Sleeping bag"].pk, size="", quantity=1),
                Line(item_id=items[kit].pk, size="", quantity=1),
            ],
            client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{session.pk}:{person.code}"),
        )
