"""The corpus's fake photos through the one upload door ``test_bad_input_corpus.py`` tried only with
the pixel bomb: the saksi's form at ``/hasil/kirim/<TPS>/``, as a page and as the offline queue's
JSON sending (issue 14 item 2). Every upload path now sees every bad file: the saksi form, the
results API, the D.Hasil form, the volunteer import page and command."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_bad_input_corpus import CORPUS, TPS, generate, good_numbers, logged_in, unchanged, world  # noqa: F401

FAKES = ("html_after_pdf_magic.pdf", "html_after_png_magic.png")


def test_fake_and_bomb_photos_are_refused_on_the_saksi_form_page_and_queue(client, world):  # noqa: F811
    votes, numbers = good_numbers()
    form = {**{f"paslon_{k}": v for k, v in votes.items()}, **numbers}
    c = logged_in(client, "saksi")
    files = {name: (CORPUS / "dhasil" / name).read_bytes() for name in FAKES} | {"bomb.png": generate.png_bomb()}
    for i, (name, data) in enumerate(files.items()):
        with unchanged():
            r = c.post(f"/hasil/kirim/{TPS}/?pemilihan=uji",
                       {**form, "client_id": f"fake-{i}", "foto_1": SimpleUploadedFile(name, data)})
        assert r.status_code == 400, name
        body = r.content.decode()
        assert "piksel" in body or "bukan foto yang bisa dibaca" in body, name
        with unchanged():
            r = c.post(f"/hasil/kirim/{TPS}/?pemilihan=uji",
                       {**form, "client_id": f"fake-json-{i}", "foto_1": SimpleUploadedFile(name, data)},
                       headers={"Accept": "application/json"})
        assert r.status_code == 400 and r.json()["status"] == "invalid", name
