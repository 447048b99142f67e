"""
An encrypted copy of FIELD_ENCRYPTION_KEY, to keep apart from the database backups: lose
the keys and every medical and legal note in every dump is lost with them; keep them
beside the dumps and whoever takes the dumps reads the notes.

The keys are sealed with Fernet under a key derived from a passphrase (scrypt), both from
`cryptography`, which the app already uses for the notes; the passphrase is kept by people
(a password manager), never on the server or with the dumps. The file is JSON, so its
parameters travel with it.
"""

import base64
import json
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "fieldapp-keys-1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MIN_PASSPHRASE_LENGTH = 12


class KeyBackupError(Exception):
    """A passphrase or file that cannot seal or open the keys; the message says which."""


def _fernet(passphrase: str, salt: bytes, n: int, r: int, p: int) -> Fernet:
    kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode())))


def seal(keys: str, passphrase: str) -> str:
    """The keys, encrypted under the passphrase, as the text of a backup file."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise KeyBackupError(f"The passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters.")
    salt = os.urandom(16)
    token = _fernet(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P).encrypt(keys.encode())
    return json.dumps(
        {
            "format": FORMAT,
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
            "salt": base64.b64encode(salt).decode(),
            "keys": token.decode(),
        },
        indent=1,
    )


def unseal(text: str, passphrase: str) -> str:
    """The keys from a backup file's text; KeyBackupError for a wrong passphrase or file."""
    try:
        sealed = json.loads(text)
        if sealed["format"] != FORMAT:
            raise ValueError(sealed["format"])
        kdf = sealed["kdf"]
        fernet = _fernet(
            passphrase,
            base64.b64decode(sealed["salt"]),
            int(kdf["n"]),
            int(kdf["r"]),
            int(kdf["p"]),
        )
        token = sealed["keys"].encode()
    except (ValueError, KeyError, TypeError) as error:
        raise KeyBackupError("This is not a fieldapp key backup file.") from error
    try:
        return fernet.decrypt(token).decode()
    except InvalidToken as error:
        raise KeyBackupError("Wrong passphrase, or the file was changed.") from error
