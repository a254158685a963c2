"""The second factor's keys and codes: TOTP secrets sealed with the app's key, codes by time step, recovery codes.

A TOTP secret is stored sealed (Fernet, with a key derived from SECRET_KEY), so
a copy of the database alone does not give anyone the codes; SECRET_KEY_FALLBACKS
still open secrets sealed with an earlier key. Recovery codes are stored hashed.
"""
import base64
import hmac
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

ISSUER = "Trygg"
RECOVERY_CODES = 10
# no 0/o, 1/l/i: a code is read off paper
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# ten letters from 31: about 50 random bits, nothing a dictionary can guess, so recovery codes need
# a far lighter scrypt than passwords: hashing ten, or checking all ten, takes about a quarter of a second
# on a busy two-core machine (N=2^14 took ten times as long)
RECOVERY_HASH_METHOD = "scrypt:4096:8:1"
# a code from the step before or after now is taken too: a phone's clock may be a little off
STEPS_EITHER_SIDE = 1


def _fernet(secret_key):
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"trygg second factor").derive(
        secret_key.encode() if isinstance(secret_key, str) else secret_key)
    return Fernet(base64.urlsafe_b64encode(key))


def _keys():
    config = current_app.config
    return MultiFernet([_fernet(key) for key in [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]])


def seal(secret, secret_key=None):
    """A TOTP secret as stored: encrypted with the app's key (or the key given)."""
    fernet = _fernet(secret_key) if secret_key is not None else _keys()
    return fernet.encrypt(secret.encode()).decode()


def unseal(sealed):
    """The TOTP secret from its stored form; None when no key the app has can open it."""
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def new_secret():
    """A fresh random TOTP secret (base32, 160 bits as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret, username):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri):
    """The QR code of an address as an inline SVG element, drawn on the server (no script, no CDN)."""
    return segno.make(uri, error="m").svg_inline(border=2, omitsize=True, dark="#000", light="#fff",
                                                  title="QR-kode for appen")


def grouped(secret):
    """The secret in groups of four, to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def code_step(secret, code, now, after_step):
    """The time step whose code this is (now's, or one either side), if later than `after_step`; else None.

    Only a step after the last one used counts: a code seen over a shoulder
    or sent twice cannot be used again, not even within its 30 seconds.
    """
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(now)
    for step in range(now_step - STEPS_EITHER_SIDE, now_step + STEPS_EITHER_SIDE + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes():
    """Ten recovery codes, as shown once ("abcde-fghjk")."""
    return ["-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_CODES)]


def normal_recovery_code(code):
    """A recovery code as typed, without spaces, dashes or capitals."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def hash_recovery_code(code):
    """A recovery code's stored hash."""
    return generate_password_hash(normal_recovery_code(code), method=RECOVERY_HASH_METHOD)


def recovery_code_matches(code_hash, code):
    """Whether a typed recovery code is the one hashed."""
    return check_password_hash(code_hash, normal_recovery_code(code))
