import time

import pytest

from kawaltps.training import tokens


def test_session_token_round_trip():
    assert tokens.read_session_token(tokens.session_token(42)) == 42


def test_pasted_url_is_accepted():
    url = "https://contoh.id/bimtek/hadir/?t=" + tokens.session_token(7)
    assert tokens.read_session_token(url) == 7


def test_expired_after_15_minutes():
    old = tokens.session_token(42, at=time.time() - 16 * 60)
    with pytest.raises(tokens.TokenError, match="kedaluwarsa"):
        tokens.read_session_token(old)
    fresh_enough = tokens.session_token(42, at=time.time() - 14 * 60)
    assert tokens.read_session_token(fresh_enough) == 42


def test_tampered_token_refused():
    token = tokens.session_token(42)
    value, rest = token.split(":", 1)
    with pytest.raises(tokens.TokenError, match="tidak sah"):
        tokens.read_session_token("s43:" + rest)


def test_one_kind_cannot_pass_for_the_other():
    with pytest.raises(tokens.TokenError, match="tidak sah"):
        tokens.read_session_token(tokens.volunteer_token(42))
    with pytest.raises(tokens.TokenError, match="tidak sah"):
        tokens.read_volunteer_token(tokens.session_token(42))


def test_empty_token():
    with pytest.raises(tokens.TokenError, match="kosong"):
        tokens.read_volunteer_token("  ")
