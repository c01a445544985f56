"""Demo step: one login for every role, printed at the end of `kawaltps demo`."""

from kawaltps.regions.models import Region

from .models import Organisation, Role, User

PASSWORD = "kawal-demo-2024"
ORGANISATIONS = ["Relawan Kawal Jakarta", "Pemuda Peduli Pemilu", "Forum Warga Jujur", "Jaringan Saksi Betawi"]


def demo_users(election) -> list[dict]:
    first_tps = election.tps_set.filter(code__startswith="3175").order_by("code").first()
    return [
        dict(username="admin", role=Role.ADMIN, first_name="Pokja", is_staff=True, is_superuser=True),
        dict(username="koord-jaktim", role=Role.KOORDINATOR, first_name="Koordinator Jakarta Timur", region="3175"),
        dict(username="koord-kec", role=Role.KOORDINATOR, first_name="Koordinator Kec. Makasar",
             region="317508"),
        dict(username="koord-kel", role=Role.KOORDINATOR, first_name="Koordinator Kel. Pinang Ranti",
             region="3175081002"),
        dict(username="saksi", role=Role.SAKSI, first_name="Saksi TPS", tps_code=first_tps.code),
        dict(username="clerk1", role=Role.CLERK, first_name="Petugas entri 1"),
        dict(username="clerk2", role=Role.CLERK, first_name="Petugas entri 2"),
        dict(username="trainer", role=Role.TRAINER, first_name="Pelatih Bimtek", region="3175"),
        dict(username="legal", role=Role.LEGAL, first_name="Tim Hukum"),
        dict(username="observer", role=Role.OBSERVER, first_name="Pemantau"),
    ]


def populate(ctx) -> list[str]:
    for name in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name)
    lines = ["Login demo (sandi semua akun: " + PASSWORD + "):"]
    for spec in demo_users(ctx.election):
        spec = dict(spec)
        region = spec.pop("region", None)
        user, created = User.objects.get_or_create(username=spec["username"], defaults=spec)
        if region:
            user.region = Region.objects.get(code=region)
        if created:
            user.set_password(PASSWORD)
        user.save()
        where = user.region.name if user.region else (user.tps_code or "seluruh wilayah")
        lines.append(f"  {user.username:<14} {user.get_role_display():<28} {where}")
    lines += demo_second_factor()
    return lines


def demo_second_factor() -> list[str]:
    """Enrol every demo login that needs 2FA with an authenticator and print its secret.

    Decision: the demo must stay usable, so each such login gets a confirmed TOTP device whose
    base32 secret is printed (add it to any authenticator app, or ``oathtool --totp -b SECRET``).
    A second run reuses the devices and prints the same secrets.
    """
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import requires_2fa

    out = ["Verifikasi dua langkah (admin, koordinator, tim hukum): tambahkan kunci ini ke aplikasi "
           "autentikator, lalu masukkan kodenya setelah sandi:"]
    for user in User.objects.filter(username__in=[u["username"] for u in demo_users_names()]).order_by("pk"):
        if not requires_2fa(user):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="demo", confirmed=True)
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        out.append(f"  {user.username:<14} {secret}")
    return out


def demo_users_names() -> list[dict]:
    return [{"username": n} for n in ("admin", "koord-jaktim", "koord-kec", "koord-kel", "legal")]
