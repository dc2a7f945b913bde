"""Webhooks reach a real HTTP receiver, signed; failures are retried with backoff and logged."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Iterator

import pytest
from django.utils import timezone

from civicshield.decisions import webhooks
from civicshield.decisions.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import ev_account, ev_content

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "whsec_test_secret"


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict, str, bytes]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((json.loads(body), self.headers[webhooks.SIGNATURE_HEADER], body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_decisions_are_delivered_signed_and_verifiable(receiver, ingest):
    WebhookEndpoint.objects.create(name="platform", url=receiver, secret=SECRET)
    ingest([ev_account("a1"), ev_content("p1", account_id="a1", text="Vote on election day at your polling place")])
    assert len(Receiver.received) == 1  # delivered by the task the commit triggered
    payload, signature, body = Receiver.received[0]
    assert payload["data"]["subject"] == {"type": "content", "id": "p1"}
    assert payload["data"]["action"] == "add_banner" and payload["data"]["labels"] == ["election_info_banner"]
    assert webhooks.verify_signature(SECRET, signature, body)
    assert not webhooks.verify_signature("wrong-secret", signature, body)
    assert not webhooks.verify_signature(SECRET, signature, body + b" ")
    assert WebhookDelivery.objects.get().status == "delivered"


def test_failed_deliveries_are_retried_with_backoff(receiver, ingest):
    Receiver.status = 500
    WebhookEndpoint.objects.create(name="platform", url=receiver, secret=SECRET)
    ingest([ev_account("a1"), ev_content("p1", account_id="a1", text="Vote on election day at your polling place")])
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at > timezone.now()
    Receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhooks.deliver_due() == {"delivered": 1, "retry": 0, "failed": 0}
    assert WebhookDelivery.objects.get().attempts == 2


def test_old_signatures_are_rejected():
    body = b'{"x":1}'
    header = webhooks.sign(SECRET, body, timestamp=1_000_000)
    assert not webhooks.verify_signature(SECRET, header, body)
    assert webhooks.verify_signature(SECRET, header, body, now=1_000_100)
