"""The channel webhooks with payloads in their providers' published formats: signatures and secrets
checked (403 otherwise), the GET verification, replies through the sender, one copy per message id."""

import hashlib
import hmac
import json

from kawaltps.messaging.models import InboundMessage, TelegramLink
from kawaltps.results.models import Submission, TpsResult

from .conftest import OTHER_TPS, SAKSI_PHONE, TPS


def wa_payload(text: str, wamid: str = "wamid.HBgNNjI4MTMxMTExMDAwMRUCABIYFDNBMjU=", sender: str = SAKSI_PHONE):
    """A WhatsApp Cloud API ``messages`` notification (object whatsapp_business_account)."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "6281200000000", "phone_number_id": "106540352242922"},
                  "contacts": [{"profile": {"name": "Saksi Uji"}, "wa_id": sender}],
                  "messages": [{"from": sender, "id": wamid, "timestamp": "1732690800", "type": "text",
                                "text": {"body": text}}]},
        "field": "messages"}]}]}


def wa_status_payload():
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "6281200000000", "phone_number_id": "106540352242922"},
                  "statuses": [{"id": "wamid.X", "status": "delivered", "timestamp": "1732690801",
                                "recipient_id": SAKSI_PHONE}]},
        "field": "messages"}]}]}


def signed_post(client, url, payload, key, header="HTTP_X_HUB_SIGNATURE_256"):
    body = json.dumps(payload).encode()
    sig = "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return client.post(url, body, content_type="application/json", **{header: sig})


def test_whatsapp_verification_get(client, posted):
    ok = client.get("/pesan/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "wa-verify-uji",
                                         "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get("/pesan/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "salah",
                                          "hub.challenge": "1158201444"})
    assert bad.status_code == 403 and b"1158201444" not in bad.content


def test_whatsapp_message_is_handled_once_and_answered(client, posted, memory_sender):
    payload = wa_payload("HASIL 120 30 150 SAH=300")
    r = signed_post(client, "/pesan/whatsapp/", payload, "wa-app-secret-uji")
    assert r.status_code == 200 and r.json() == {"handled": 1}
    assert TpsResult.objects.get(code=TPS).votes == {"1": 120, "2": 30, "3": 150}
    assert len(memory_sender) == 1 and memory_sender[0][0] == SAKSI_PHONE and "tercatat" in memory_sender[0][1]
    r = signed_post(client, "/pesan/whatsapp/", payload, "wa-app-secret-uji")  # Meta retries the same wamid
    assert r.status_code == 200
    assert Submission.objects.count() == 1 and InboundMessage.objects.count() == 1 and len(memory_sender) == 1
    assert signed_post(client, "/pesan/whatsapp/", wa_status_payload(), "wa-app-secret-uji").json() == {"handled": 0}


def test_whatsapp_bad_signature_is_403_and_nothing_stored(client, posted, memory_sender):
    payload = wa_payload("HASIL 120 30 150")
    assert signed_post(client, "/pesan/whatsapp/", payload, "not-the-secret").status_code == 403
    body = json.dumps(payload).encode()
    assert client.post("/pesan/whatsapp/", body, content_type="application/json").status_code == 403
    assert client.post("/pesan/whatsapp/", body, content_type="application/json",
                       HTTP_X_HUB_SIGNATURE_256="sha256=" + "0" * 64).status_code == 403
    assert not InboundMessage.objects.exists() and not Submission.objects.exists() and memory_sender == []


def test_whatsapp_without_configured_secret_refuses_all(client, posted, settings):
    settings.KAWALTPS_WHATSAPP_APP_SECRET = ""
    assert signed_post(client, "/pesan/whatsapp/", wa_payload("HASIL 1 2 3"), "").status_code == 403
    assert not InboundMessage.objects.exists()


def test_whatsapp_unknown_and_wrong_tps_get_replies(client, posted, memory_sender):
    signed_post(client, "/pesan/whatsapp/", wa_payload("HASIL 1 2 3", "wamid.A", "6281399999999"), "wa-app-secret-uji")
    signed_post(client, "/pesan/whatsapp/", wa_payload(f"HASIL {OTHER_TPS} 1 2 3", "wamid.B"), "wa-app-secret-uji")
    assert [m[0] for m in memory_sender] == ["6281399999999", SAKSI_PHONE]
    assert "tidak terdaftar" in memory_sender[0][1] and f"bukan TPS {OTHER_TPS}" in memory_sender[1][1]
    assert not Submission.objects.exists()


def tg_update(update_id, text=None, contact=None, user_id=777001, message_id=41):
    """A Telegram Bot API ``Update`` with a private-chat ``Message``."""
    msg = {"message_id": message_id, "date": 1732690800,
           "from": {"id": user_id, "is_bot": False, "first_name": "Saksi", "language_code": "id"},
           "chat": {"id": user_id, "first_name": "Saksi", "type": "private"}}
    if text is not None:
        msg["text"] = text
    if contact is not None:
        msg["contact"] = contact
    return {"update_id": update_id, "message": msg}


def tg_post(client, payload, token="tg-secret-uji"):
    return client.post("/pesan/telegram/", json.dumps(payload), content_type="application/json",
                       HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=token)


def test_telegram_contact_then_results(client, posted):
    r = tg_post(client, tg_update(1, text="HASIL 120 30 150"))
    body = r.json()
    assert r.status_code == 200 and body["method"] == "sendMessage" and body["chat_id"] == 777001
    assert "Bagikan nomor telepon" in body["text"] and body["reply_markup"]["keyboard"][0][0]["request_contact"]
    assert not Submission.objects.exists()
    # someone else's contact is not taken as the sender's number
    other = {"phone_number": "+6281311110001", "first_name": "Saksi", "user_id": 999}
    assert "nomor Anda sendiri" in tg_post(client, tg_update(2, contact=other, message_id=42)).json()["text"]
    assert not TelegramLink.objects.exists()
    own = {"phone_number": "+6281311110001", "first_name": "Saksi", "user_id": 777001}
    assert "Nomor tersimpan" in tg_post(client, tg_update(3, contact=own, message_id=43)).json()["text"]
    r = tg_post(client, tg_update(4, text="HASIL 120 30 150", message_id=44))
    assert "tercatat" in r.json()["text"] and Submission.objects.count() == 1
    r = tg_post(client, tg_update(4, text="HASIL 120 30 150", message_id=44))  # the same update redelivered
    assert r.json()["text"] and Submission.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_telegram_bad_secret_is_403(client, posted):
    assert tg_post(client, tg_update(1, text="BANTUAN"), token="salah").status_code == 403
    assert client.post("/pesan/telegram/", "{}", content_type="application/json").status_code == 403
    assert not InboundMessage.objects.exists()


def sms_post(client, payload, key="sms-secret-uji"):
    return signed_post(client, "/pesan/sms/", payload, key, header="HTTP_X_KAWALTPS_SIGNATURE")


def test_sms_gateway(client, posted, memory_sender):
    payload = {"id": "gw-20241127-0001", "from": "081311110001", "text": "HASIL 120 30 150 SAH=300"}
    r = sms_post(client, payload)
    assert r.status_code == 200 and r.json()["status"] == "ok" and "tercatat" in r.json()["reply"]
    assert memory_sender == [(SAKSI_PHONE, r.json()["reply"])]
    r = sms_post(client, payload)
    assert r.json()["replayed"] is True and Submission.objects.count() == 1 and len(memory_sender) == 1
    assert sms_post(client, {**payload, "id": "gw-2"}, key="forged").status_code == 403
    assert sms_post(client, {"from": "081311110001"}).status_code == 400
    assert InboundMessage.objects.count() == 1
