"""Password hashes: scrypt at the configured work factor, checked in the same time whether an account exists."""
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password):
    """Hash a password with the configured scrypt work factor."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_matches(password_hash, password):
    """Check a password; an account without a password never matches."""
    if not password_hash:
        # spend the same time as a real check so accounts cannot be told apart
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


# a hash per work factor to check against when there is no account: made once, as scrypt is slow on purpose
_DUMMY = {}


def _dummy_hash():
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not-a-password", method=method)
    return _DUMMY[method]
