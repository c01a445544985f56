"""Query parameters shared by the API's list endpoints, checked once."""

from ninja.errors import HttpError

from kawaltps.core.numbers import NumberError, is_ascii_digits, page_window


def list_params(limit: int, offset: int, region: str = "") -> tuple[int, int, str]:
    """``(limit, offset, region)`` of a list endpoint, or a 422 with the reason in Indonesian:
    ``limit`` 1–500 and ``offset`` ≥ 0 (``core.numbers.page_window``), ``region`` a code prefix of
    ASCII digits (dots allowed) or empty."""
    try:
        limit, offset = page_window(limit, offset)
    except NumberError as exc:
        raise HttpError(422, str(exc)) from None
    region = region.replace(".", "").strip()
    if region and not (is_ascii_digits(region) and len(region) <= 13):
        raise HttpError(422, "region harus kode wilayah (angka 0–9)")
    return limit, offset, region
