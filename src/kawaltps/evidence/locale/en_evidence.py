"""English for the evidence app's catalogue (msgid -> msgstr); fill with scripts/fill_po.py."""

T = {
"Foto terlalu besar (lebih dari 10 MB). Kirim foto yang lebih kecil.": "Photo too large (over 10 MB). Send a smaller photo.",
"Berkas foto kosong.": "The photo file is empty.",
"Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, atau WebP.": "This file is not a readable photo. Send a JPEG, PNG or WebP photo.",
"Foto terlalu besar: %(w)s × %(h)s piksel; paling banyak %(max)s juta piksel.": "Photo too large: %(w)s × %(h)s pixels; at most %(max)s million pixels.",
"Foto terlalu besar: paling banyak %(max)s juta piksel.": "Photo too large: at most %(max)s million pixels.",
"Video terlalu besar (lebih dari %(mb)s MB). Kirim video yang lebih pendek.": "Video too large (over %(mb)s MB). Send a shorter video.",
"Berkas ini bukan foto atau video yang bisa dibaca. Kirim foto JPEG, PNG, atau WebP, atau video MP4, MOV, 3GP, atau WebM.": "This file is not a readable photo or video. Send a JPEG, PNG or WebP photo, or an MP4, MOV, 3GP or WebM video.",
"kode TPS/wilayah": "TPS/region code", "keperluan": "purpose", "jenis": "kind", "foto": "photo", "video": "video",
"berkas bukti": "evidence file",
}
