"""Generators for the big bad inputs of the corpus (never committed: made at test time, in tmp).

Each returns bytes or writes a file; all stream, so none needs the memory its victim would.
"""

import io
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image


def png_bomb(width: int = 13_000, height: int = 13_000) -> bytes:
    """A valid 8-bit greyscale PNG of ``width`` × ``height`` black pixels (13,000² → ~165 KB).
    Decoding it costs 169 MB and seconds; its header alone says how big it is."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    idat = bytearray()
    for _ in range(height):
        idat += comp.compress(row)
    idat += comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b"")


def _tiff(entries: list[tuple[int, int, int, bytes]], extra: bytes = b"") -> bytes:
    body = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        body += struct.pack("<HHI", tag, typ, count) + value
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + body + struct.pack("<I", 0) + extra


def jpeg_with_exif(exif: bytes, seed: int = 0) -> bytes:
    img = Image.new("RGB", (96, 128), (255, 255 - seed * 40 % 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def corrupt_exif_jpegs() -> dict[str, bytes]:
    """Real JPEGs whose EXIF lies: GPS rationals over zero, a GPS offset past the end, a GPS IFD
    that points at itself, a year-1 capture time (which overflows when stored as UTC)."""
    gps_at = 26
    zero_den = (struct.pack("<H", 2) + struct.pack("<HHI", 1, 2, 2) + b"S\x00\x00\x00"
                + struct.pack("<HHII", 2, 5, 3, gps_at + 30) + struct.pack("<I", 0)
                + struct.pack("<IIIIII", 6, 0, 12, 0, 36, 0))
    return {
        "gps_rational_zero": jpeg_with_exif(_tiff([(0x8825, 4, 1, struct.pack("<I", gps_at))], zero_den), 1),
        "gps_offset_past_end": jpeg_with_exif(_tiff([(0x8825, 4, 1, struct.pack("<I", 999_999))]), 2),
        "gps_points_at_itself": jpeg_with_exif(_tiff([(0x8825, 4, 1, struct.pack("<I", 8))]), 3),
        "time_year_1": jpeg_with_exif(_tiff([(306, 2, 20, struct.pack("<I", gps_at))], b"0001:01:01 00:00:00\x00"), 4),
    }


def xlsx_bomb(path: Path, expanded: int = 100 * 1024 * 1024) -> Path:
    """A valid XLSX (header nama,nik,…) whose shared strings inflate to ``expanded`` bytes (~260 KB zipped)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nama", "nik", "telepon", "kelurahan", "organisasi"])
    ws.append(["Siti", "3175084503900001", "081234567001", "3175081002", "RKJ"])
    plain = io.BytesIO()
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, src.read(info.filename))
        head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(head)
            block = b"A" * (1024 * 1024)
            for _ in range(expanded // len(block)):
                f.write(block)
            f.write(b"</t></si></sst>")
    return path


def huge_field_csv(path: Path, header: str, row_prefix: str, length: int = 200_000, suffix: str = "") -> Path:
    """A CSV whose second row holds one cell longer than ``csv.field_size_limit()`` (131,072)."""
    path.write_text(f"{header}\n{row_prefix}{'9' * length}{suffix}\n", encoding="utf-8")
    return path
