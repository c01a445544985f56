"""Assignment runs and the coordinator's hand, through the services and the `assign` command."""

import json

import pytest
from django.core.management import call_command

from kawaltps.audit.models import ChangeRecord
from kawaltps.deployment import inputs, services
from kawaltps.deployment.models import Assignment, AssignmentHistory
from kawaltps.deployment.rules import DeploymentError
from kawaltps.people.models import User
from kawaltps.volunteers.models import Volunteer

from .conftest import revoke_certificate

pytestmark = pytest.mark.django_db


def active(e):
    return {a.volunteer_id: (a.tps_code, a.kind) for a in services.active(e)}


def test_run_prefers_the_voting_tps_gives_backups_and_upgrades_the_login(small_election, signer, volunteer):
    a = volunteer("3175081001", voting="3175081001002", login=True)
    b = volunteer("3175081001", voting="3175081001001")
    c = volunteer("3175081002")
    report = services.run_assignment(small_election)
    got = active(small_election)
    assert got[a.pk] == ("3175081001002", "saksi") and got[b.pk] == ("3175081001001", "saksi")
    assert got[c.pk][0].startswith("3175081002")
    assert report["coverage"]["full"] == 3 and report["coverage"]["none"] == 3
    assert report["changes"]["assigned"] == 3
    a.refresh_from_db()
    user = User.objects.get(pk=a.user_id)
    assert (user.role, user.tps_code, a.status) == ("saksi", "3175081001002", "assigned")
    assert AssignmentHistory.objects.count() == 3
    assert ChangeRecord.objects.filter(subject="deployment.Assignment", action="assignment_assign").count() == 3


def test_rerun_keeps_pinned_and_reports_what_changed(small_election, signer, volunteer):
    a = volunteer("3175081001", voting="3175081001001")
    services.run_assignment(small_election)
    pinned = Assignment.objects.get(volunteer=a)
    services.set_pinned(pinned, True)
    b = volunteer("3175081001", voting="3175081001001")  # votes at the same TPS: becomes its backup
    report = services.run_assignment(small_election)
    assert report["pinned"] == 1
    assert report["changes"]["assigned"] == 1
    assert active(small_election)[a.pk] == ("3175081001001", "saksi")
    assert active(small_election)[b.pk][1] in ("saksi", "backup")
    assert report["changes"]["list"] == [{"volunteer": b.pk, "from": None, "to": active(small_election)[b.pk][0],
                                          "kind": active(small_election)[b.pk][1]}]
    again = services.run_assignment(small_election)
    assert again["changes"] == {"assigned": 0, "released": 0, "moved": 0, "kind_changed": 0, "kept": 1, "list": []}


def test_no_certified_volunteers_is_refused_and_nothing_changes(small_election, signer, volunteer):
    volunteer("3175081001", certified=False)
    with pytest.raises(DeploymentError, match="tersertifikasi"):
        services.run_assignment(small_election)
    assert not Assignment.objects.exists()


def test_a_pinned_volunteer_whose_certificate_was_revoked_stops_the_run(small_election, signer, volunteer):
    a = volunteer("3175081001", voting="3175081001001")
    b = volunteer("3175081002")
    services.run_assignment(small_election)
    services.set_pinned(Assignment.objects.get(volunteer=a), True)
    before = active(small_election)
    revoke_certificate(a)
    volunteer("3171011001")
    with pytest.raises(DeploymentError, match="tidak lagi tersertifikasi"):
        services.run_assignment(small_election)
    assert active(small_election) == before and b.pk in before


def test_assign_by_hand_refuses_a_tps_outside_the_election(small_election, signer, volunteer):
    v = volunteer()
    with pytest.raises(DeploymentError, match="tidak ada dalam pemilihan"):
        services.assign_by_hand(small_election, v, "3175081001099")
    assert not Assignment.objects.exists()


def test_availability_file_with_unknown_people_changes_nothing(small_election, volunteer):
    v = volunteer()
    text = f"nik,bersedia,tps_memilih\n{v.nik},tidak,3175081001001\n9999999999999999,ya,\n"
    with pytest.raises(DeploymentError, match="baris 3"):
        inputs.load(text)
    assert not hasattr(Volunteer.objects.get(pk=v.pk), "deployment")
    assert inputs.load(f"nik,bersedia\n{v.nik},tidak\n") == 1
    assert Volunteer.objects.get(pk=v.pk).deployment.available is False


def test_release_swap_and_promote(small_election, signer, volunteer):
    a = volunteer("3175081001", voting="3175081001001", login=True)
    b = volunteer("3175081001", voting="3175081001001")
    c = volunteer("3175081002", voting="3175081002001")
    sa = services.assign_by_hand(small_election, a, "3175081001001", "saksi")
    sb = services.assign_by_hand(small_election, b, "3175081001001", "backup")
    services.run_assignment(small_election)
    assert User.objects.get(pk=a.user_id).role == "saksi"
    from kawaltps.deployment import mandates

    m = mandates.issue_for_assignment(sa)
    promoted = services.promote(sb)
    assert promoted.kind == "saksi" and promoted.pinned
    sa.refresh_from_db()
    m.refresh_from_db()
    assert sa.status == "released" and m.status == "replaced" and m.replaced_by.assignment_id == sb.pk
    assert User.objects.get(pk=a.user_id).role == "relawan"
    sc = Assignment.objects.get(volunteer=c)
    services.swap(promoted, sc)
    assert active(small_election)[b.pk][0] == "3175081002001"
    assert active(small_election)[c.pk][0] == "3175081001001"
    services.release(sc)
    assert c.pk not in active(small_election)
    assert Volunteer.objects.get(pk=c.pk).status == "certified"


def test_assign_command_prints_coverage_distance_and_changes(small_election, signer, volunteer, capsys):
    volunteer("3175081001", voting="3175081001001")
    call_command("assign", "--election", "uji", "--region", "3175", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["coverage"]["full"] == 1 and out["coverage"]["tps"] == 4
    assert out["coverage"]["mean_distance"] == 0.0 and out["changes"]["assigned"] == 1
    assert "greedy_baseline" in out


def test_assign_command_bad_input_is_one_json_error(small_election, capsys):
    with pytest.raises(SystemExit):
        call_command("assign", "--election", "uji", "--json")
    assert "tersertifikasi" in json.loads(capsys.readouterr().out)["error"]


def test_priorities_file_with_a_tps_outside_the_election_changes_nothing(small_election, signer, volunteer,
                                                                         tmp_path, capsys):
    from kawaltps.deployment.models import TpsPriority

    bad = tmp_path / "prioritas.csv"
    bad.write_text("kode_tps,bobot,alasan\n3175081001002,5,rawan\n3175081001099,5,rawan\n")
    volunteer("3175081001")
    with pytest.raises(SystemExit):
        call_command("assign", "--election", "uji", "--priorities", str(bad), "--json")
    assert "baris 3" in json.loads(capsys.readouterr().out)["error"]
    assert not TpsPriority.objects.exists() and not Assignment.objects.exists()
    good = tmp_path / "ok.csv"
    good.write_text("kode_tps,bobot,alasan\n3175081001002,5,sampel hitung cepat\n")
    unknown = tmp_path / "ketersediaan.csv"
    unknown.write_text("nik,bersedia\n9999999999999999,ya\n")
    with pytest.raises(SystemExit):  # a good priorities file is not applied when the other file is refused
        call_command("assign", "--election", "uji", "--priorities", str(good), "--availability", str(unknown),
                     "--json")
    assert "tidak terdaftar" in json.loads(capsys.readouterr().out)["error"]
    assert not TpsPriority.objects.exists()
    call_command("assign", "--election", "uji", "--region", "317508", "--backups-per-tps", "0",
                 "--priorities", str(good), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["priority_rows"] == 1 and out["changes"]["list"][0]["to"] == "3175081001002"


def test_a_regional_run_keeps_people_posted_from_outside_the_region(small_election, signer, volunteer):
    outsider = volunteer("3175071001")  # lives in the next kecamatan (same kota), posted by hand in Makasar
    services.assign_by_hand(small_election, outsider, "3175081002001")
    services.set_pinned(Assignment.objects.get(volunteer=outsider), False)
    volunteer("3175081001", voting="3175081001001")
    report = services.run_assignment(small_election, "317508")
    assert active(small_election)[outsider.pk][0].startswith("3175081002")
    assert report["changes"]["released"] == 0
