"""The Bimtek curriculum and question bank, as data (facts from ../shared/DOMAIN.md).

Each question is ``(text, [choices...], index of the correct choice)``. Rules change between
elections: edit the bank in the admin, or here plus a data migration; :func:`seed` is idempotent
(matched on module code and question text) and used by the migration, the demo and tests.
"""

MODULES: list[dict] = [
    {
        "code": "tata-cara-tps",
        "title": "Tata cara pemungutan dan penghitungan suara di TPS (PKPU 17/2024)",
        "description": "Jam pemungutan suara, DPT/DPTb/DPK, urutan prosedur dari pembukaan sampai kotak "
                       "disegel, dan cara penghitungan surat suara.",
        "questions": [
            ("Pukul berapa pemungutan suara di TPS berlangsung?",
             ["07.00–13.00 waktu setempat", "08.00–14.00 waktu setempat", "07.00–15.00 waktu setempat",
              "06.00–12.00 waktu setempat"], 0),
            ("Kapan pemilih DPK (tidak terdaftar, memilih dengan e-KTP) boleh memilih?",
             ["Pukul 12.00–13.00, selama surat suara masih tersedia", "Sepanjang hari sejak pukul 07.00",
              "Hanya pukul 07.00–09.00", "Setelah penghitungan suara selesai"], 0),
            ("Mulai pukul berapa pemilih DPTb (pindahan dari TPS lain) dapat memilih?",
             ["11.00", "07.00", "12.30", "13.00"], 0),
            ("Pukul 13.00 tiba. Siapa yang masih boleh memberikan suara?",
             ["Hanya pemilih yang sudah berada dalam antrean", "Siapa saja yang datang sampai pukul 14.00",
              "Tidak ada seorang pun, termasuk yang sedang antre", "Hanya pemilih DPK"], 0),
            ("Surat suara sah hanya jika…",
             ["ditandatangani oleh ketua KPPS", "distempel oleh saksi paslon", "dilipat menjadi empat",
              "diberi nama pemilih"], 0),
            ("Sebelum pemungutan suara dimulai, kotak suara harus…",
             ["dibuka dan diperlihatkan kosong kepada semua yang hadir", "langsung disegel tanpa dibuka",
              "diisi surat suara cadangan", "dibawa ke kantor PPS"], 0),
            ("Berapa batas jumlah pemilih per TPS pada Pilkada 2024?",
             ["300", "600", "800", "1.000"], 1),
            ("Bagaimana setiap surat suara dihitung?",
             ["Dibuka, diperlihatkan, dan dibacakan (\"sah untuk paslon X\" atau \"tidak sah\"), "
              "lalu dicatat di C.Hasil plano", "Dihitung diam-diam oleh ketua KPPS", "Ditimbang per kelompok",
              "Dihitung keesokan harinya di kantor PPK"], 0),
        ],
    },
    {
        "code": "hak-kewajiban-saksi",
        "title": "Hak dan kewajiban saksi, serta surat mandat",
        "description": "Surat mandat, jumlah saksi per paslon, larangan atribut kampanye, salinan DPT dan "
                       "C.Hasil, keberatan dan formulir kejadian khusus.",
        "questions": [
            ("Dalam Pilkada, paling banyak berapa saksi untuk setiap paslon di satu TPS?",
             ["1 orang", "2 orang", "5 orang", "Tidak dibatasi"], 1),
            ("Kepada siapa surat mandat saksi diserahkan, dan kapan?",
             ["Kepada KPPS, sebelum pemungutan suara dimulai", "Kepada Bawaslu, setelah penghitungan",
              "Kepada PPK, pada saat rekapitulasi", "Tidak perlu diserahkan, cukup dibawa"], 0),
            ("Apa yang DILARANG bagi saksi di TPS?",
             ["Memakai atribut kampanye", "Mencatat hasil penghitungan", "Mengajukan keberatan",
              "Memotret C.Hasil plano"], 0),
            ("Setelah penghitungan, saksi berhak menerima…",
             ["salinan formulir hasil yang ditandatangani KPPS dan saksi", "surat suara yang tidak terpakai",
              "kunci kotak suara", "uang transport dari KPPS"], 0),
            ("KPPS menolak memberikan salinan C.Hasil kepada saksi. Ini…",
             ["tindak pidana: catat dan laporkan", "hal yang wajar", "boleh asal ada alasan",
              "urusan PPK, bukan saksi"], 0),
            ("Tidak ada keberatan sama sekali. Apa yang ditulis saksi di formulir keberatan?",
             ["NIHIL", "Dikosongkan", "Tanda silang", "Nama paslon"], 0),
            ("Di formulir apa keberatan saksi dan kejadian khusus dicatat?",
             ["C.Kejadian Khusus dan/atau Keberatan", "D.Hasil Kecamatan", "Model A.1",
              "C.Hasil halaman 1"], 0),
            ("Saat menyerahkan surat mandat, saksi menerima…",
             ["tanda pengenal dan salinan DPT (serta DPTb)", "surat suara cadangan", "segel kotak suara",
              "formulir D.Hasil"], 0),
        ],
    },
    {
        "code": "c-hasil",
        "title": "Mengisi dan memotret C.Hasil",
        "description": "Isi formulir C.Hasil (data pemilih, surat suara, suara paslon), pemeriksaan "
                       "aritmetikanya, dan memotret setiap halaman dengan jelas.",
        "questions": [
            ("Jumlah pengguna hak pilih (B.4) harus sama dengan…",
             ["pemilih DPT + DPTb + DPK yang memilih", "jumlah DPT", "jumlah surat suara diterima",
              "suara sah saja"], 0),
            ("Jumlah surat suara diterima (termasuk cadangan) harus sama dengan…",
             ["digunakan + dikembalikan/rusak + tidak digunakan", "jumlah DPT", "suara sah + tidak sah",
              "jumlah pengguna hak pilih"], 0),
            ("Suara sah + suara tidak sah harus sama dengan…",
             ["jumlah seluruh suara, yaitu jumlah pengguna hak pilih", "jumlah DPT",
              "surat suara tidak digunakan", "suara paslon pemenang"], 0),
            ("Pada setiap baris data pemilih, kolom L + P harus sama dengan…",
             ["J (jumlah)", "DPT", "B.4", "nol"], 0),
            ("Jumlah suara semua paslon harus sama dengan…",
             ["jumlah suara sah", "jumlah suara tidak sah", "jumlah DPT", "jumlah surat suara diterima"], 0),
            ("Berapa persen dari DPT surat suara cadangan pada Pilkada 2024?",
             ["2,5%", "2%", "5%", "10%"], 0),
            ("Berapa halaman C.Hasil yang perlu difoto agar lengkap?",
             ["Semua halaman: data pemilih dan surat suara, suara paslon, dan tanda tangan",
              "Hanya halaman suara paslon", "Cukup halaman tanda tangan", "Tidak perlu difoto"], 0),
        ],
    },
    {
        "code": "kecurangan",
        "title": "Mengenali dan melaporkan kecurangan (Bawaslu)",
        "description": "Jenis kecurangan yang sering dilaporkan, jam rawan, pemicu PSU, dan cara melapor ke "
                       "Bawaslu (Model A.1, syarat formal dan materiel, batas waktu).",
        "questions": [
            ("Berapa lama batas waktu melapor pelanggaran ke Bawaslu?",
             ["7 hari sejak pelanggaran diketahui", "24 jam", "30 hari", "Sampai penetapan hasil"], 0),
            ("Dalam politik uang pada Pilkada, siapa yang dapat dipidana?",
             ["Pemberi dan penerima", "Hanya pemberi", "Hanya penerima",
              "Tidak ada, hanya sanksi administrasi"], 0),
            ("Kapan \"jam rawan\" kecurangan di TPS yang perlu diwaspadai saksi?",
             ["Saat istirahat pukul 12.00 dan menjelang penghitungan", "Pukul 07.00 saat pembukaan saja",
              "Setelah kotak suara disegel", "Tidak ada jam rawan"], 0),
            ("Mana yang termasuk syarat MATERIEL laporan ke Bawaslu?",
             ["Uraian kejadian, tempat dan waktu, saksi, dan bukti", "Fotokopi ijazah pelapor",
              "Rekomendasi dari paslon", "Stempel kelurahan"], 0),
            ("Keadaan mana yang dapat memicu pemungutan suara ulang (PSU)?",
             ["Kotak suara atau dokumen dibuka tidak sesuai prosedur", "Hujan deras pada pagi hari",
              "Saksi datang terlambat", "Paslon yang didukung kalah"], 0),
            ("Formulir apa yang dipakai untuk melapor ke Bawaslu secara daring?",
             ["Model A.1", "C.Hasil", "D.Hasil Kecamatan", "Formulir pendaftaran relawan"], 0),
            ("Ada laporan yang kurang lengkap. Berapa lama waktu untuk memperbaikinya?",
             ["3 hari", "1 jam", "14 hari", "Tidak dapat diperbaiki"], 0),
            ("Surat suara ditemukan sudah tercoblos sebelum dibagikan. Apa yang dilakukan saksi?",
             ["Minta KPPS memperbaiki saat itu, catat di formulir keberatan, dokumentasikan, dan laporkan",
              "Diam saja agar suasana tenang", "Mencoblos sisanya untuk paslon sendiri",
              "Meninggalkan TPS"], 0),
        ],
    },
    {
        "code": "aplikasi-kawal-tps",
        "title": "Menggunakan aplikasi Kawal TPS",
        "description": "Kehadiran Bimtek dengan kode QR, tes, sertifikat yang dapat diverifikasi, mengirim "
                       "C.Hasil dan foto, serta melaporkan kejadian dari TPS.",
        "questions": [
            ("Bagaimana kehadiran Anda di Bimtek dicatat?",
             ["Memindai kode QR sesi, atau pelatih memindai kode QR Anda", "Tanda tangan di kertas saja",
              "Mengirim swafoto lewat WhatsApp", "Tidak dicatat"], 0),
            ("Berapa lama kode QR kehadiran sesi berlaku?",
             ["Sekitar 15 menit, lalu diganti kode baru", "Selamanya", "Satu minggu", "Satu tahun"], 0),
            ("Sinyal terputus saat mengirim C.Hasil. Apa yang Anda lakukan?",
             ["Kirim ulang: kiriman yang sama tidak akan tercatat dua kali", "Buat akun baru",
              "Isi angka berbeda", "Tidak perlu dikirim"], 0),
            ("Bagaimana orang lain memeriksa keaslian sertifikat Bimtek Anda?",
             ["Memindai kode QR pada sertifikat untuk membuka halaman verifikasi", "Menelepon pelatih",
              "Melihat warna kertas", "Tidak dapat diperiksa"], 0),
            ("Siapa yang dapat melihat NIK dan nomor telepon Anda di aplikasi?",
             ["Hanya koordinator Anda dan admin", "Semua pengguna", "Publik di internet", "Semua saksi"], 0),
            ("Setelah angka C.Hasil dikirim, apa yang diperiksa aplikasi?",
             ["Aritmetika formulir, misalnya suara sah + tidak sah = jumlah suara", "Tulisan tangan KPPS",
              "Warna tinta", "Tidak ada pemeriksaan"], 0),
        ],
    },
]


def seed(module_model=None, question_model=None) -> tuple[int, int]:
    """Create missing modules and questions; returns (modules created, questions created).

    Accepts historical models so a data migration can call it.
    """
    if module_model is None:
        from .models import Module as module_model
        from .models import Question as question_model
    made_modules = made_questions = 0
    for order, spec in enumerate(MODULES, start=1):
        module, created = module_model.objects.get_or_create(
            code=spec["code"],
            defaults={"title": spec["title"], "description": spec["description"], "order": order})
        made_modules += created
        existing = set(question_model.objects.filter(module=module).values_list("text", flat=True))
        new = [question_model(module=module, text=text, choices=choices, correct=correct)
               for text, choices, correct in spec["questions"] if text not in existing]
        question_model.objects.bulk_create(new)
        made_questions += len(new)
    return made_modules, made_questions
