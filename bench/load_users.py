"""
The simulated people of bench/load.py, as a locustfile: run by `locust`, never imported
by Django. Everything they need (tokens, the session, card codes, item ids) comes from
the environment that bench/load.py sets after seeding.

A volunteer at a distribution table: check-ins most, then searching for a person and
opening their record, now and then registering someone new. A legal volunteer: looks up
free slots in Arabic and books one for a person. Each waits 1 to 3 s between actions, as a
person with a phone does.
"""

import json
import os
import random
import uuid

from locust import HttpUser, between, task

CODES = json.loads(os.environ["LOAD_CODES"])
SESSION = int(os.environ["LOAD_SESSION"])
SITE = int(os.environ["LOAD_SITE"])
WATER, JUMPER = (int(i) for i in os.environ["LOAD_ITEMS"].split(","))
SIZES = ["M", "L", "XL"]


class Volunteer(HttpUser):
    weight = 9
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_VOLUNTEER_TOKEN']}"

    @task(5)
    def checkin(self) -> None:
        body = {
            "uuid": str(uuid.uuid4()),
            "session": SESSION,
            "person": random.choice(CODES),
            "items": [
                {"item": WATER, "quantity": 1},
                {"item": JUMPER, "size": random.choice(SIZES), "quantity": 1},
            ],
        }
        self.client.post("/api/v1/checkins/", json=body, name="checkin")

    @task(3)
    def search(self) -> None:
        query = random.choice(CODES)[:5]
        self.client.get(f"/api/v1/people/?q={query}", name="search")

    @task(3)
    def view_person(self) -> None:
        self.client.get(f"/api/v1/people/{random.choice(CODES)}/", name="view_person")

    @task(1)
    def register(self) -> None:
        body = {"name": f"Load {uuid.uuid4().hex[:8]}", "language": "ar", "home_site": SITE}
        self.client.post("/api/v1/people/", json=body, name="register")


class LegalVolunteer(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_LEGAL_TOKEN']}"

    @task
    def book(self) -> None:
        answer = self.client.get("/api/v1/legal/slots/?language=ar&days=14", name="book_slots")
        slots = answer.json() if answer.status_code == 200 else []
        if not slots:
            return
        body = {
            "person": random.choice(CODES),
            "slot": random.choice(slots)["key"],
            "case_type": "asylum_france",
            "language": "ar",
        }
        self.client.post("/api/v1/legal/appointments/", json=body, name="book")
