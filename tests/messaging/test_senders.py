"""The real senders against a real local HTTP server (http.server in a thread): path, auth, body."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from kawaltps.messaging.models import OutboundMessage, TelegramLink
from kawaltps.messaging.senders import SmsSender, TelegramSender, WhatsAppSender

PHONE = "6281311110001"


class Provider:
    """A local HTTP server that records each request and answers with the queued statuses."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                provider.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, payload = provider.answers.pop(0) if provider.answers else (200, {})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider():
    p = Provider()
    yield p
    p.close()


@pytest.fixture
def whatsapp(settings, provider):
    settings.KAWALTPS_WHATSAPP_API_URL = provider.url
    settings.KAWALTPS_WHATSAPP_API_VERSION = "v21.0"
    settings.KAWALTPS_WHATSAPP_PHONE_NUMBER_ID = "1098765"
    settings.KAWALTPS_WHATSAPP_TOKEN = "wa-token-uji"
    return provider


@pytest.mark.django_db
def test_whatsapp_posts_meta_json_with_bearer(whatsapp):
    whatsapp.answers.append((200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.ABC"}]}))
    assert WhatsAppSender().send(PHONE, "Halo saksi") is True
    (req,) = whatsapp.requests
    assert req["path"] == "/v21.0/1098765/messages"
    assert req["headers"]["Authorization"] == "Bearer wa-token-uji"
    assert json.loads(req["body"]) == {"messaging_product": "whatsapp", "recipient_type": "individual",
                                       "to": PHONE, "type": "text",
                                       "text": {"preview_url": False, "body": "Halo saksi"}}
    row = OutboundMessage.objects.get()
    assert (row.status, row.attempts, row.provider_id, row.channel) == ("sent", 1, "wamid.ABC", "whatsapp")


@pytest.mark.django_db
def test_telegram_send_message_to_linked_chat(settings, provider):
    settings.KAWALTPS_TELEGRAM_API_URL = provider.url
    settings.KAWALTPS_TELEGRAM_BOT_TOKEN = "123:tg-uji"
    TelegramLink.objects.create(telegram_user_id=555001, phone=PHONE)
    provider.answers.append((200, {"ok": True, "result": {"message_id": 77}}))
    assert TelegramSender().send(PHONE, "Laporan diterima") is True
    (req,) = provider.requests
    assert req["path"] == "/bot123:tg-uji/sendMessage"
    assert req["headers"]["Content-Type"] == "application/json"
    assert json.loads(req["body"]) == {"chat_id": 555001, "text": "Laporan diterima"}
    assert OutboundMessage.objects.get().provider_id == "77"


@pytest.mark.django_db
def test_telegram_without_link_fails_without_a_request(settings, provider):
    settings.KAWALTPS_TELEGRAM_API_URL = provider.url
    settings.KAWALTPS_TELEGRAM_BOT_TOKEN = "123:tg-uji"
    assert TelegramSender().send(PHONE, "x") is False
    assert provider.requests == []
    row = OutboundMessage.objects.get()
    assert row.status == "failed" and "Telegram" in row.reason and row.attempts == 0


@pytest.mark.django_db
def test_sms_gateway_form_post_with_api_key_header(settings, provider):
    settings.KAWALTPS_SMS_GATEWAY_URL = provider.url + "/kirim"
    settings.KAWALTPS_SMS_API_KEY = "sms-key-uji"
    settings.KAWALTPS_SMS_API_KEY_HEADER = "X-Api-Key"
    assert SmsSender().send(PHONE, "Kode 1234 & selesai") is True
    (req,) = provider.requests
    assert req["path"] == "/kirim"
    assert req["headers"]["X-Api-Key"] == "sms-key-uji"
    assert req["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(req["body"].decode()) == {"to": [PHONE], "text": ["Kode 1234 & selesai"]}


@pytest.mark.django_db
def test_server_errors_are_retried_a_bounded_number_of_times(settings, whatsapp):
    settings.KAWALTPS_SENDER_ATTEMPTS = "3"
    whatsapp.answers.extend([(503, {"error": "down"})] * 5)
    assert WhatsAppSender().send(PHONE, "x") is False
    assert len(whatsapp.requests) == 3
    row = OutboundMessage.objects.get()
    assert (row.status, row.attempts) == ("failed", 3) and row.reason.startswith("HTTP 503")


@pytest.mark.django_db
def test_a_retry_after_a_server_error_succeeds(whatsapp):
    whatsapp.answers.extend([(500, {}), (200, {"messages": [{"id": "wamid.2"}]})])
    assert WhatsAppSender().send(PHONE, "x") is True
    row = OutboundMessage.objects.get()
    assert (row.status, row.attempts, row.reason) == ("sent", 2, "")


@pytest.mark.django_db
def test_client_errors_are_not_retried(whatsapp):
    whatsapp.answers.append((401, {"error": {"message": "Invalid OAuth access token"}}))
    assert WhatsAppSender().send(PHONE, "x") is False
    assert len(whatsapp.requests) == 1
    assert "HTTP 401" in OutboundMessage.objects.get().reason


@pytest.mark.django_db
def test_unreachable_provider_is_recorded_not_raised(settings):
    gone = Provider()
    url = gone.url
    gone.close()  # nothing listens there any more: a real connection refusal
    settings.KAWALTPS_SMS_GATEWAY_URL = url + "/kirim"
    settings.KAWALTPS_SMS_API_KEY = "k"
    settings.KAWALTPS_SENDER_ATTEMPTS = "2"
    assert SmsSender().send(PHONE, "x") is False
    row = OutboundMessage.objects.get()
    assert row.status == "failed" and row.attempts == 2 and "Connect" in row.reason


@pytest.mark.django_db
def test_missing_settings_fail_the_message_not_the_caller(settings):
    settings.KAWALTPS_WHATSAPP_PHONE_NUMBER_ID = ""
    assert WhatsAppSender().send(PHONE, "x") is False
    assert "KAWALTPS_WHATSAPP_PHONE_NUMBER_ID" in OutboundMessage.objects.get().reason


@pytest.mark.django_db
def test_a_provider_outage_does_not_crash_the_inbound_webhook(client, posted, settings, whatsapp):
    """The WhatsApp webhook answers 200 and stores the message while the reply fails (recorded)."""
    from kawaltps.messaging.models import InboundMessage
    from tests.messaging.test_webhooks import signed_post, wa_payload

    settings.KAWALTPS_MESSAGE_SENDER = "kawaltps.messaging.senders.WhatsAppSender"
    settings.KAWALTPS_SENDER_ATTEMPTS = "2"
    whatsapp.answers.extend([(502, {}), (502, {})])
    r = signed_post(client, "/pesan/whatsapp/", wa_payload("BANTUAN", "wamid.OUT1"), "wa-app-secret-uji")
    assert r.status_code == 200 and r.json()["handled"] == 1
    assert InboundMessage.objects.filter(message_id="wamid.OUT1").count() == 1
    (row,) = OutboundMessage.objects.all()
    assert (row.status, row.attempts, row.phone) == ("failed", 2, PHONE)
    assert whatsapp.requests[0]["path"] == "/v21.0/1098765/messages"


def _later(minutes: float):
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_a_passing_failure_is_resent_after_its_wait_and_then_cleared(settings, whatsapp):
    from kawaltps.messaging.senders import resend_due

    settings.KAWALTPS_SENDER_ATTEMPTS = "1"
    whatsapp.answers.extend([(503, {}), (200, {"messages": [{"id": "wamid.R"}]})])
    assert WhatsAppSender().send(PHONE, "Segera ke TPS 004") is False
    row = OutboundMessage.objects.get()
    assert row.text == "Segera ke TPS 004" and row.next_attempt_at is not None
    assert resend_due() == {"due": 0, "sent": 0, "failed": 0, "given_up": 0}  # the wait is not over
    assert len(whatsapp.requests) == 1
    assert resend_due(now=_later(1.5)) == {"due": 1, "sent": 1, "failed": 0, "given_up": 0}
    row.refresh_from_db()
    assert (row.status, row.provider_id, row.text, row.resends, row.next_attempt_at) == \
        ("sent", "wamid.R", "", 1, None)
    assert json.loads(whatsapp.requests[1]["body"])["text"]["body"] == "Segera ke TPS 004"
    assert resend_due(now=_later(60))["due"] == 0  # sent once, never again


@pytest.mark.django_db
def test_resends_stop_after_the_last_wait(settings, whatsapp):
    from kawaltps.messaging.senders import RESEND_MINUTES, resend_due

    settings.KAWALTPS_SENDER_ATTEMPTS = "1"
    whatsapp.answers.extend([(503, {})] * 10)
    WhatsAppSender().send(PHONE, "x")
    outcomes = [resend_due(now=_later(40 * (i + 1))) for i in range(len(RESEND_MINUTES) + 1)]
    assert [o["failed"] for o in outcomes] == [1] * (len(RESEND_MINUTES) - 1) + [0, 0]
    assert outcomes[len(RESEND_MINUTES) - 1]["given_up"] == 1 and outcomes[-1]["due"] == 0
    row = OutboundMessage.objects.get()
    assert (row.status, row.resends, row.text, row.next_attempt_at) == ("failed", len(RESEND_MINUTES), "", None)
    assert len(whatsapp.requests) == 1 + len(RESEND_MINUTES)


@pytest.mark.django_db
def test_refusals_and_secrets_are_never_resent(settings, whatsapp):
    from kawaltps.messaging.senders import resend_due

    whatsapp.answers.append((400, {"error": {"message": "invalid recipient"}}))
    WhatsAppSender().send(PHONE, "x")
    settings.KAWALTPS_SENDER_ATTEMPTS = "1"
    whatsapp.answers.append((503, {}))
    WhatsAppSender().send(PHONE, "Kode aktivasi 12345678", secret=True)
    rows = list(OutboundMessage.objects.order_by("id"))
    assert [(r.status, r.text, r.next_attempt_at) for r in rows] == [("failed", "", None)] * 2
    assert resend_due(now=_later(60))["due"] == 0 and len(whatsapp.requests) == 2


@pytest.mark.django_db
def test_a_claimed_message_is_not_sent_twice(settings, whatsapp):
    """Two resend loops (two machines) racing for one row: the compare-and-set claim lets one win."""
    from kawaltps.messaging.senders import CLAIM, resend_due

    settings.KAWALTPS_SENDER_ATTEMPTS = "1"
    whatsapp.answers.extend([(503, {}), (200, {"messages": [{"id": "wamid.C"}]})])
    WhatsAppSender().send(PHONE, "x")
    row = OutboundMessage.objects.get()
    now = _later(2)
    OutboundMessage.objects.filter(pk=row.pk).update(next_attempt_at=now + CLAIM)  # the other loop has it
    assert resend_due(now=now)["sent"] == 0 and len(whatsapp.requests) == 1


@pytest.mark.django_db
def test_resend_messages_command_prints_json(settings, whatsapp):
    import io

    from django.core.management import call_command

    settings.KAWALTPS_SENDER_ATTEMPTS = "1"
    whatsapp.answers.extend([(503, {}), (200, {"messages": [{"id": "wamid.K"}]})])
    WhatsAppSender().send(PHONE, "x")
    OutboundMessage.objects.update(next_attempt_at=_later(-1))
    out = io.StringIO()
    call_command("resend_messages", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"rounds": 1, "due": 1, "sent": 1, "failed": 0, "given_up": 0}
    with pytest.raises(Exception, match="--loop"):
        call_command("resend_messages", "--loop", "0")
