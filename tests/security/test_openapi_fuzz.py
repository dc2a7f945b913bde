"""Schemathesis over the whole OpenAPI, over real HTTP: no server error, no response outside the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_api_never_errors_and_answers_within_its_schema(live_server, reference_data):
    from django.core.cache import cache

    from civicshield.intake.auth import create_api_key

    headers = {"Authorization": f"Bearer {create_api_key('fuzzer')}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 3
    print(f"fuzzing {len(operations)} operations")
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            cache.clear()  # the fuzzer is one client; rate limits are tested elsewhere
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        try:
            fuzz()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
