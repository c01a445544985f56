# ruff: noqa: E501  (frozen data, kept verbatim)
"""The Bimtek question bank as first seeded (migration 0002), frozen: never edit.

Each question carries the key that migration 0004 gives the row seeded from it, so the corrected
bank in ``training.curriculum`` reaches installs that already hold these texts.
"""

MODULES: list[dict] = [
    {
        "code": "tata-cara-tps",
        "title": "Tata cara pemungutan dan penghitungan suara di TPS (PKPU 17/2024)",
        "description": "Jam pemungutan suara, DPT/DPTb/DPK, urutan prosedur dari pembukaan sampai kotak disegel, dan cara penghitungan surat suara.",
        "questions": [
            (
                "jam-pemungutan",
                "Pukul berapa pemungutan suara di TPS berlangsung?",
                [
                    "07.00–13.00 waktu setempat",
                    "08.00–14.00 waktu setempat",
                    "07.00–15.00 waktu setempat",
                    "06.00–12.00 waktu setempat",
                ],
                0,
            ),
            (
                "jam-dpk",
                "Kapan pemilih DPK (tidak terdaftar, memilih dengan e-KTP) boleh memilih?",
                [
                    "Pukul 12.00–13.00, selama surat suara masih tersedia",
                    "Sepanjang hari sejak pukul 07.00",
                    "Hanya pukul 07.00–09.00",
                    "Setelah penghitungan suara selesai",
                ],
                0,
            ),
            (
                "jam-dptb",
                "Mulai pukul berapa pemilih DPTb (pindahan dari TPS lain) dapat memilih?",
                ["11.00", "07.00", "12.30", "13.00"],
                0,
            ),
            (
                "antrean-13",
                "Pukul 13.00 tiba. Siapa yang masih boleh memberikan suara?",
                [
                    "Hanya pemilih yang sudah berada dalam antrean",
                    "Siapa saja yang datang sampai pukul 14.00",
                    "Tidak ada seorang pun, termasuk yang sedang antre",
                    "Hanya pemilih DPK",
                ],
                0,
            ),
            (
                "suara-sah-syarat",
                "Surat suara sah hanya jika…",
                [
                    "ditandatangani oleh ketua KPPS",
                    "distempel oleh saksi paslon",
                    "dilipat menjadi empat",
                    "diberi nama pemilih",
                ],
                0,
            ),
            (
                "kotak-kosong",
                "Sebelum pemungutan suara dimulai, kotak suara harus…",
                [
                    "dibuka dan diperlihatkan kosong kepada semua yang hadir",
                    "langsung disegel tanpa dibuka",
                    "diisi surat suara cadangan",
                    "dibawa ke kantor PPS",
                ],
                0,
            ),
            (
                "batas-pemilih-tps",
                "Berapa batas jumlah pemilih per TPS pada Pilkada 2024?",
                ["300", "600", "800", "1.000"],
                1,
            ),
            (
                "cara-menghitung",
                "Bagaimana setiap surat suara dihitung?",
                [
                    'Dibuka, diperlihatkan, dan dibacakan ("sah untuk paslon X" atau "tidak sah"), lalu dicatat di C.Hasil plano',
                    "Dihitung diam-diam oleh ketua KPPS",
                    "Ditimbang per kelompok",
                    "Dihitung keesokan harinya di kantor PPK",
                ],
                0,
            ),
        ],
    },
    {
        "code": "hak-kewajiban-saksi",
        "title": "Hak dan kewajiban saksi, serta surat mandat",
        "description": "Surat mandat, jumlah saksi per paslon, larangan atribut kampanye, salinan DPT dan C.Hasil, keberatan dan formulir kejadian khusus.",
        "questions": [
            (
                "jumlah-saksi",
                "Dalam Pilkada, paling banyak berapa saksi untuk setiap paslon di satu TPS?",
                ["1 orang", "2 orang", "5 orang", "Tidak dibatasi"],
                1,
            ),
            (
                "serah-mandat",
                "Kepada siapa surat mandat saksi diserahkan, dan kapan?",
                [
                    "Kepada KPPS, sebelum pemungutan suara dimulai",
                    "Kepada Bawaslu, setelah penghitungan",
                    "Kepada PPK, pada saat rekapitulasi",
                    "Tidak perlu diserahkan, cukup dibawa",
                ],
                0,
            ),
            (
                "larangan-atribut",
                "Apa yang DILARANG bagi saksi di TPS?",
                [
                    "Memakai atribut kampanye",
                    "Mencatat hasil penghitungan",
                    "Mengajukan keberatan",
                    "Memotret C.Hasil plano",
                ],
                0,
            ),
            (
                "hak-salinan",
                "Setelah penghitungan, saksi berhak menerima…",
                [
                    "salinan formulir hasil yang ditandatangani KPPS dan saksi",
                    "surat suara yang tidak terpakai",
                    "kunci kotak suara",
                    "uang transport dari KPPS",
                ],
                0,
            ),
            (
                "salinan-ditolak",
                "KPPS menolak memberikan salinan C.Hasil kepada saksi. Ini…",
                [
                    "tindak pidana: catat dan laporkan",
                    "hal yang wajar",
                    "boleh asal ada alasan",
                    "urusan PPK, bukan saksi",
                ],
                0,
            ),
            (
                "nihil",
                "Tidak ada keberatan sama sekali. Apa yang ditulis saksi di formulir keberatan?",
                ["NIHIL", "Dikosongkan", "Tanda silang", "Nama paslon"],
                0,
            ),
            (
                "formulir-keberatan",
                "Di formulir apa keberatan saksi dan kejadian khusus dicatat?",
                ["C.Kejadian Khusus dan/atau Keberatan", "D.Hasil Kecamatan", "Model A.1", "C.Hasil halaman 1"],
                0,
            ),
            (
                "terima-saat-mandat",
                "Saat menyerahkan surat mandat, saksi menerima…",
                [
                    "tanda pengenal dan salinan DPT (serta DPTb)",
                    "surat suara cadangan",
                    "segel kotak suara",
                    "formulir D.Hasil",
                ],
                0,
            ),
        ],
    },
    {
        "code": "c-hasil",
        "title": "Mengisi dan memotret C.Hasil",
        "description": "Isi formulir C.Hasil (data pemilih, surat suara, suara paslon), pemeriksaan aritmetikanya, dan memotret setiap halaman dengan jelas.",
        "questions": [
            (
                "cek-pengguna-hak-pilih",
                "Jumlah pengguna hak pilih (B.4) harus sama dengan…",
                [
                    "pemilih DPT + DPTb + DPK yang memilih",
                    "jumlah DPT",
                    "jumlah surat suara diterima",
                    "suara sah saja",
                ],
                0,
            ),
            (
                "cek-surat-suara",
                "Jumlah surat suara diterima (termasuk cadangan) harus sama dengan…",
                [
                    "digunakan + dikembalikan/rusak + tidak digunakan",
                    "jumlah DPT",
                    "suara sah + tidak sah",
                    "jumlah pengguna hak pilih",
                ],
                0,
            ),
            (
                "cek-sah-tidak-sah",
                "Suara sah + suara tidak sah harus sama dengan…",
                [
                    "jumlah seluruh suara, yaitu jumlah pengguna hak pilih",
                    "jumlah DPT",
                    "surat suara tidak digunakan",
                    "suara paslon pemenang",
                ],
                0,
            ),
            (
                "cek-l-p-j",
                "Pada setiap baris data pemilih, kolom L + P harus sama dengan…",
                ["J (jumlah)", "DPT", "B.4", "nol"],
                0,
            ),
            (
                "cek-suara-paslon",
                "Jumlah suara semua paslon harus sama dengan…",
                ["jumlah suara sah", "jumlah suara tidak sah", "jumlah DPT", "jumlah surat suara diterima"],
                0,
            ),
            (
                "cadangan-persen",
                "Berapa persen dari DPT surat suara cadangan pada Pilkada 2024?",
                ["2,5%", "2%", "5%", "10%"],
                0,
            ),
            (
                "foto-halaman",
                "Berapa halaman C.Hasil yang perlu difoto agar lengkap?",
                [
                    "Semua halaman: data pemilih dan surat suara, suara paslon, dan tanda tangan",
                    "Hanya halaman suara paslon",
                    "Cukup halaman tanda tangan",
                    "Tidak perlu difoto",
                ],
                0,
            ),
        ],
    },
    {
        "code": "kecurangan",
        "title": "Mengenali dan melaporkan kecurangan (Bawaslu)",
        "description": "Jenis kecurangan yang sering dilaporkan, jam rawan, pemicu PSU, dan cara melapor ke Bawaslu (Model A.1, syarat formal dan materiel, batas waktu).",
        "questions": [
            (
                "batas-lapor",
                "Berapa lama batas waktu melapor pelanggaran ke Bawaslu?",
                ["7 hari sejak pelanggaran diketahui", "24 jam", "30 hari", "Sampai penetapan hasil"],
                0,
            ),
            (
                "politik-uang",
                "Dalam politik uang pada Pilkada, siapa yang dapat dipidana?",
                ["Pemberi dan penerima", "Hanya pemberi", "Hanya penerima", "Tidak ada, hanya sanksi administrasi"],
                0,
            ),
            (
                "jam-rawan",
                'Kapan "jam rawan" kecurangan di TPS yang perlu diwaspadai saksi?',
                [
                    "Saat istirahat pukul 12.00 dan menjelang penghitungan",
                    "Pukul 07.00 saat pembukaan saja",
                    "Setelah kotak suara disegel",
                    "Tidak ada jam rawan",
                ],
                0,
            ),
            (
                "syarat-materiel",
                "Mana yang termasuk syarat MATERIEL laporan ke Bawaslu?",
                [
                    "Uraian kejadian, tempat dan waktu, saksi, dan bukti",
                    "Fotokopi ijazah pelapor",
                    "Rekomendasi dari paslon",
                    "Stempel kelurahan",
                ],
                0,
            ),
            (
                "pemicu-psu",
                "Keadaan mana yang dapat memicu pemungutan suara ulang (PSU)?",
                [
                    "Kotak suara atau dokumen dibuka tidak sesuai prosedur",
                    "Hujan deras pada pagi hari",
                    "Saksi datang terlambat",
                    "Paslon yang didukung kalah",
                ],
                0,
            ),
            (
                "formulir-a1",
                "Formulir apa yang dipakai untuk melapor ke Bawaslu secara daring?",
                ["Model A.1", "C.Hasil", "D.Hasil Kecamatan", "Formulir pendaftaran relawan"],
                0,
            ),
            (
                "laporan-kurang-lengkap",
                "Ada laporan yang kurang lengkap. Berapa lama waktu untuk memperbaikinya?",
                ["3 hari", "1 jam", "14 hari", "Tidak dapat diperbaiki"],
                0,
            ),
            (
                "surat-suara-tercoblos",
                "Surat suara ditemukan sudah tercoblos sebelum dibagikan. Apa yang dilakukan saksi?",
                [
                    "Minta KPPS memperbaiki saat itu, catat di formulir keberatan, dokumentasikan, dan laporkan",
                    "Diam saja agar suasana tenang",
                    "Mencoblos sisanya untuk paslon sendiri",
                    "Meninggalkan TPS",
                ],
                0,
            ),
        ],
    },
    {
        "code": "aplikasi-kawal-tps",
        "title": "Menggunakan aplikasi Kawal TPS",
        "description": "Kehadiran Bimtek dengan kode QR, tes, sertifikat yang dapat diverifikasi, mengirim C.Hasil dan foto, serta melaporkan kejadian dari TPS.",
        "questions": [
            (
                "hadir-qr",
                "Bagaimana kehadiran Anda di Bimtek dicatat?",
                [
                    "Memindai kode QR sesi, atau pelatih memindai kode QR Anda",
                    "Tanda tangan di kertas saja",
                    "Mengirim swafoto lewat WhatsApp",
                    "Tidak dicatat",
                ],
                0,
            ),
            (
                "qr-berlaku",
                "Berapa lama kode QR kehadiran sesi berlaku?",
                ["Sekitar 15 menit, lalu diganti kode baru", "Selamanya", "Satu minggu", "Satu tahun"],
                0,
            ),
            (
                "kirim-ulang",
                "Sinyal terputus saat mengirim C.Hasil. Apa yang Anda lakukan?",
                [
                    "Kirim ulang: kiriman yang sama tidak akan tercatat dua kali",
                    "Buat akun baru",
                    "Isi angka berbeda",
                    "Tidak perlu dikirim",
                ],
                0,
            ),
            (
                "cek-sertifikat",
                "Bagaimana orang lain memeriksa keaslian sertifikat Bimtek Anda?",
                [
                    "Memindai kode QR pada sertifikat untuk membuka halaman verifikasi",
                    "Menelepon pelatih",
                    "Melihat warna kertas",
                    "Tidak dapat diperiksa",
                ],
                0,
            ),
            (
                "siapa-lihat-nik",
                "Siapa yang dapat melihat NIK dan nomor telepon Anda di aplikasi?",
                ["Hanya koordinator Anda dan admin", "Semua pengguna", "Publik di internet", "Semua saksi"],
                0,
            ),
            (
                "cek-aritmetika",
                "Setelah angka C.Hasil dikirim, apa yang diperiksa aplikasi?",
                [
                    "Aritmetika formulir, misalnya suara sah + tidak sah = jumlah suara",
                    "Tulisan tangan KPPS",
                    "Warna tinta",
                    "Tidak ada pemeriksaan",
                ],
                0,
            ),
        ],
    },
]
