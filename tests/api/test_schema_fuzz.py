"""
Every API operation, fuzzed from its OpenAPI schema as each role (schemathesis).

Each role signs in with a token and sends what schemathesis generates from the schema
to the WSGI app in this process, over the demo's data: no answer may be a server
error, and each must match the schema (status code, content type, body). About half
the examples of an operation with an id in its path name a real record (one that some
role can list), so the requests reach records, not only 404s.

CI runs a few examples per operation; `make fuzz` runs more (FUZZ_EXAMPLES), with the
same seed (FUZZ_SEED to change it).
"""

import os
import re
import sys
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from fieldapp.demo import demo_load
from services.accounts.models import User
from services.accounts.roles import Role

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
SEED = int(os.environ.get("FUZZ_SEED", "20261204"))


@pytest.fixture(scope="module")
def app():
    return WSGIHandler()


@pytest.fixture(scope="module")
def api_schema(app):
    """The schema that /api/schema/ serves, made once: it depends on the code only."""
    raw = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    return schema


@pytest.fixture
def connection_kept_open():
    """The app runs on the test's own database connection: it must not close it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def raised():
    """The exceptions behind server errors, for the report."""
    errors: list[str] = []

    def record(sender, **kwargs):
        errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(record, weak=False)
    yield errors
    got_request_exception.disconnect(record)


@pytest.fixture
def demo(db):
    demo_load(people=6)


def _headers(role: Role) -> dict[str, str]:
    user = User.objects.get(username=role.value)
    return {
        "Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}",
        "Accept-Encoding": "identity",  # the test client does not unzip
    }


class KnownRecords:
    """
    Path parameter values that name real records: those any role can list, so a role
    is also tried on the records it may not see.
    """

    def __init__(self, app: WSGIHandler):
        self.client = Client(app)
        self.lists: dict[str, list[dict[str, Any]]] = {}

    def path_parameters(self, path: str) -> list[dict[str, Any]]:
        found = re.match(r"(?P<list>.*/)\{(?P<name>\w+)\}/", path)
        if found is None:
            return []
        name, rows = found["name"], self._rows(found["list"])
        fields = [f for f in (name, name.split("_")[-1], "id") if rows and f in rows[0]]
        return [{name: row[fields[0]]} for row in rows] if fields else []

    def _rows(self, list_path: str) -> list[dict[str, Any]]:
        if list_path not in self.lists:
            self.lists[list_path] = [row for role in Role for row in self._listed(list_path, role)]
        return self.lists[list_path]

    def _listed(self, list_path: str, role: Role) -> list[dict[str, Any]]:
        response = self.client.get(list_path, headers=_headers(role))
        body = response.json if response.status_code == 200 else {}
        return body.get("results", []) if isinstance(body, dict) else []


def _strategy(operation, known: KnownRecords):
    """Valid input and invalid (each a 4xx, never a 500), on real records and on any id."""
    generated = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    values = known.path_parameters(operation.path)
    on_records = [
        st.sampled_from(values).flatmap(
            lambda path_parameters, mode=mode: operation.as_strategy(
                generation_mode=mode, path_parameters=path_parameters
            )
        )
        for mode in GenerationMode
        if values
    ]
    return st.one_of(*on_records, *generated)


def _fuzz(operation, strategy, headers: dict[str, str], answers: Counter) -> str | None:
    """Runs the operation's examples; the first failure found, if any."""

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        answers[f"{response.status_code // 100}xx"] += 1

    try:
        run()
    except (Exception, BaseExceptionGroup) as failure:
        return f"{operation.label}: {failure}"
    return None


@pytest.mark.parametrize("role", list(Role))
def test_every_operation_answers_as_its_schema_says(
    role, demo, app, api_schema, connection_kept_open, raised, capsys
):
    headers = _headers(role)
    known = KnownRecords(app)
    started = time.monotonic()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    answers: Counter = Counter()
    failures = [
        failure
        for operation in operations
        if (failure := _fuzz(operation, _strategy(operation, known), headers, answers))
    ]
    with capsys.disabled():
        print(
            f"\n{role.value}: {len(operations)} operations, {answers.total()} answers "
            f"({', '.join(f'{n} {k}' for k, n in sorted(answers.items()))}), "
            f"{len(failures)} failing, {time.monotonic() - started:.0f} s"
        )
    assert not failures, "\n\n".join(failures) + "\n\nRaised:\n" + "\n".join(raised)
