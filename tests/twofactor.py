"""The one test helper for logging in as a role that needs two-factor authentication.

``verify_session(client, user)`` gives ``user`` a confirmed authenticator (made once) and marks the
client's session as having passed it, as the verification page does. ``tests/conftest.py`` applies it
to every ``Client.login``/``force_login`` of such a user, and ``login_page`` types the current code
in the browser. Tests of the second factor itself log in through the real form instead.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def otp_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verify_session(client, user) -> None:
    from kawaltps.people.twofactor import requires_2fa

    if not requires_2fa(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = otp_device(user).persistent_id
    session.save()
