"""Authenticator apps (TOTP): the user's device, and the QR code that enrols one."""

import base64

import segno
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret on every reload of the page, so a
    code scanned from an earlier copy still works."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps ask for it typed in."""
    return base64.b32encode(device.bin_key).decode()


def key_from_secret(base32: str) -> str:
    """The hex key TOTPDevice stores, from a base32 secret."""
    return base64.b32decode(base32.replace(" ", "").upper()).hex()


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI, for an <img>.

    segno draws with SVG attributes (fill, stroke), never a style attribute, so the page
    needs no 'unsafe-inline' in its Content-Security-Policy.
    """
    code = segno.make(device.config_url, error="m")
    return code.svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now (for the demo's `porth totp`, and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
