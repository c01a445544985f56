"""`kawaltps message`: one message through the parser and rules, as the webhooks use them.

Senders are identified by their registered phone and limited to their TPS; C.Hasil numbers go
through results.services (the web form's path) and a repeated message is one submission.
"""

import json

import pytest
from django.core.management import call_command

from kawaltps.audit.models import ChangeRecord
from kawaltps.messaging.models import InboundMessage
from kawaltps.results.models import Submission, TpsResult

from .conftest import OTHER_TPS, SAKSI_PHONE, TPS


def run(*args) -> tuple[dict, int]:
    import io

    out = io.StringIO()
    code = 0
    try:
        call_command("message", *args, "--json", stdout=out)
    except SystemExit as exc:
        code = exc.code
    return json.loads(out.getvalue()), code


def test_results_by_message_are_one_submission(posted):
    text = "HASIL 120 30 150 SAH=300 TSAH=10 TOTAL=310 SALINAN=YA"
    reply, code = run("--from", "0813-1111-0001", text)
    assert code == 0 and reply["status"] == "ok" and reply["tps"] == TPS and reply["keyword"] == "HASIL"
    assert "tercatat" in reply["reply"]
    result = TpsResult.objects.get(code=TPS)
    assert result.state == "entered" and result.votes == {"1": 120, "2": 30, "3": 150}
    assert result.numbers == {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310}
    assert result.attestation == {"salinan": True}
    sub = Submission.objects.get()
    assert sub.kind == "saksi" and sub.entered_by.phone == SAKSI_PHONE and sub.client_id.startswith("msg-")
    assert ChangeRecord.objects.filter(action="results.first_entry").count() == 1
    # the same report again (new message id, other spacing, other channel): one submission
    again, _ = run("--from", "+62 813 1111 0001", "--channel", "sms", "hasil#120#30#150#sah=300#tsah=10#total=310"
                   "#salinan=ya")
    assert again["status"] == "ok" and "sudah diterima sebelumnya" in again["reply"]
    assert Submission.objects.count() == 1 and InboundMessage.objects.count() == 2


def test_replayed_message_id_is_one_copy(posted):
    first, _ = run("--from", SAKSI_PHONE, "--id", "m-1", "HASIL 120 30 150")
    second, _ = run("--from", SAKSI_PHONE, "--id", "m-1", "HASIL 120 30 150")
    assert second["replayed"] is True and second["reply"] == first["reply"]
    assert InboundMessage.objects.count() == 1 and Submission.objects.count() == 1


def test_flags_are_named_in_the_reply(posted):
    reply, _ = run("--from", SAKSI_PHONE, "HASIL 120 30 150 SAH=999 SALINAN=TIDAK")
    assert reply["status"] == "ok" and "Periksa:" in reply["reply"]
    assert "suara sah" in reply["reply"] and "salinan" in reply["reply"]
    assert TpsResult.objects.get().flagged


def test_unknown_phone_is_denied_and_nothing_stored(posted):
    reply, code = run("--from", "081399999999", "HASIL 120 30 150")
    assert code == 2 and reply["status"] == "denied" and "tidak terdaftar" in reply["reply"]
    reply, code = run("--from", "bukan-nomor", "HASIL 120 30 150")
    assert reply["status"] == "denied"
    assert not Submission.objects.exists() and not TpsResult.objects.exists()
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"denied"}


def test_wrong_tps_is_denied(posted):
    reply, code = run("--from", SAKSI_PHONE, f"HASIL {OTHER_TPS} 120 30 150")
    assert code == 2 and reply["status"] == "denied"
    assert f"Anda bertugas di TPS {TPS}, bukan TPS {OTHER_TPS}" in reply["reply"]
    assert not Submission.objects.exists()


def test_backup_without_login_and_inactive_user_are_denied(posted):
    reply, _ = run("--from", "081311110003", "HASIL 120 30 150")  # a backup: registered, no login
    assert reply["status"] == "denied" and not Submission.objects.exists()
    user = posted["saksi"].user
    user.is_active = False
    user.save()
    reply, _ = run("--from", SAKSI_PHONE, "HASIL 120 30 150")
    assert reply["status"] == "denied" and not Submission.objects.exists()


def test_released_saksi_is_denied(posted):
    from kawaltps.deployment.models import Assignment

    Assignment.objects.filter(volunteer=posted["saksi"]).update(status="released")
    reply, _ = run("--from", SAKSI_PHONE, "HASIL 120 30 150")
    assert reply["status"] == "denied" and "belum bertugas" in reply["reply"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("text,words", [
    ("HASIL 120 30", "punya 3 paslon"),
    ("HASIL 120 30 999999", "Suara paslon 3"),
    ("HASL 1 2 3", "tidak dikenal"),
])
def test_bad_messages_get_a_reply_and_change_nothing(posted, text, words):
    reply, code = run("--from", SAKSI_PHONE, text)
    assert code == 2 and reply["status"] == "invalid" and words in reply["reply"]
    assert not Submission.objects.exists() and not TpsResult.objects.exists()


def test_help_and_plain_output(posted, capsys):
    reply, code = run("--from", SAKSI_PHONE, "BANTUAN")
    assert code == 0 and "HASIL [kode TPS]" in reply["reply"]
    call_command("message", "--from", SAKSI_PHONE, "bantuan")
    assert "Format pesan" in capsys.readouterr().out
