"""The passphrase lock's cryptography: a sealed file's header, key derivation, AES-256-GCM.

Nothing home-made: the primitives are the ``cryptography`` library's (Argon2id where the installed
version has it, else scrypt; AES-256-GCM). What is ours is only the layout, described byte for byte
in docs/progress-format.md so another tool can open a file without Safe Ground.

A sealed file is a header followed by the ciphertext and GCM's 16-byte tag. The whole header is
the associated data, so a changed header (a lowered KDF cost, say) fails to decrypt rather than
being believed. The header starts with the format version, and the reader dispatches on it: a
later Safe Ground keeps the readers of every earlier version, and an unknown (newer) version is
refused with a sentence saying so, never misread.

The key is derived once when the person unlocks (about half a second, on purpose) and kept in a
:class:`Key` for the session, so an autosave only encrypts (microseconds) and never derives. Every
file of a locked profile shares the key's salt and KDF parameters; each write gets a fresh random
nonce. Python cannot promise to wipe memory: :meth:`Key.forget` zeroes the key bytes it holds and
drops the cipher, which is what can honestly be done.

No Textual here. Everything but ``struct`` is imported when first used: the storage module
imports this one, and start-up (which only looks for the magic bytes) should not pay for OpenSSL.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from typing import NamedTuple

#: The first bytes of every sealed file: never the start of a TOML file (which is text).
MAGIC = b"SGLOCK\x00\x1a"
#: The header version this Safe Ground writes.
FORMAT_VERSION = 1
KDF_ARGON2ID = 1
KDF_SCRYPT = 2
SALT_BYTES = 16
CHECK_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
#: magic, version, KDF id, three 32-bit KDF parameters, salt, passphrase check, nonce.
_V1 = struct.Struct(f">8sBBIII{SALT_BYTES}s{CHECK_BYTES}s{NONCE_BYTES}s")
#: What a KDF may ask of memory and time when reading a file: a damaged or hostile header must not
#: make opening a file take minutes or gigabytes.
MAX_ARGON2_KIB = 2 * 1024 * 1024
MAX_ITERATIONS = 64
MAX_SCRYPT_LOG2_N = 22


class VaultError(Exception):
    """A sealed file that can't be opened, said plainly."""


class WrongPassphrase(VaultError):
    def __init__(self) -> None:
        super().__init__("that passphrase doesn't open these answers")


class CannotDecrypt(VaultError):
    """The file is damaged (cut short, a byte changed) or not one Safe Ground sealed."""


class NewerFormat(VaultError):
    """Sealed by a later Safe Ground, with a header this one can't read."""


class KdfParams(NamedTuple):
    """How a passphrase becomes a key: ``kdf`` is KDF_ARGON2ID (``a`` memory in KiB, ``b``
    iterations, ``c`` lanes) or KDF_SCRYPT (``a`` log2 of N, ``b`` r, ``c`` p)."""

    kdf: int
    a: int
    b: int
    c: int

    def check_sane(self) -> None:
        if self.kdf == KDF_ARGON2ID:
            ok = 8 * max(self.c, 1) <= self.a <= MAX_ARGON2_KIB and 1 <= self.b <= MAX_ITERATIONS and 1 <= self.c <= 16
        elif self.kdf == KDF_SCRYPT:
            ok = 1 <= self.a <= MAX_SCRYPT_LOG2_N and 1 <= self.b <= 32 and 1 <= self.c <= 16
        else:
            ok = False
        if not ok:
            raise CannotDecrypt("its header is damaged (key derivation settings Safe Ground never writes)")

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        """64 bytes: the AES key, then the bytes the passphrase check is made from."""
        secret = normalise(passphrase)
        if self.kdf == KDF_ARGON2ID:
            from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

            return Argon2id(salt=salt, length=64, iterations=self.b, lanes=self.c, memory_cost=self.a).derive(secret)
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=64, n=2**self.a, r=self.b, p=self.c).derive(secret)


def normalise(passphrase: str) -> bytes:
    """NFC and UTF-8: the same passphrase typed in two terminals gives the same bytes."""
    import unicodedata

    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def argon2id_available() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:
        return False
    return True


#: Argon2id with 128 MiB and 4 passes (OWASP asks at least 19 MiB and 2): about 0.45 s on a
#: 2-core machine (bench/lock_bench.py). scrypt N=2^17, r=8, p=1 where Argon2id is missing.
ARGON2ID_DEFAULT = KdfParams(KDF_ARGON2ID, 128 * 1024, 4, 1)
SCRYPT_DEFAULT = KdfParams(KDF_SCRYPT, 17, 8, 1)


def default_params() -> KdfParams:
    return ARGON2ID_DEFAULT if argon2id_available() else SCRYPT_DEFAULT


class Header(NamedTuple):
    version: int
    params: KdfParams
    salt: bytes
    check: bytes
    nonce: bytes
    #: The header's own bytes: GCM's associated data.
    raw: bytes


def _read_v1(data: bytes) -> Header:
    if len(data) < _V1.size + TAG_BYTES:
        raise CannotDecrypt("it is cut short")
    _magic, version, kdf, a, b, c, salt, check, nonce = _V1.unpack_from(data)
    params = KdfParams(kdf, a, b, c)
    params.check_sane()
    return Header(version, params, salt, check, nonce, data[: _V1.size])


def _write_v1(params: KdfParams, salt: bytes, check: bytes, nonce: bytes) -> bytes:
    return _V1.pack(MAGIC, 1, params.kdf, params.a, params.b, params.c, salt, check, nonce)


#: Every header version this Safe Ground reads, and how it writes the current one. A later version
#: adds its pair here and keeps the older readers, so files sealed long ago still open.
READERS: dict[int, Callable[[bytes], Header]] = {1: _read_v1}
WRITERS: dict[int, Callable[[KdfParams, bytes, bytes, bytes], bytes]] = {1: _write_v1}


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def read_header(data: bytes) -> Header:
    if not is_sealed(data):
        raise CannotDecrypt("it is not a file Safe Ground sealed")
    if len(data) <= len(MAGIC):
        raise CannotDecrypt("it is cut short")
    version = data[len(MAGIC)]
    reader = READERS.get(version)
    if reader is None:
        raise NewerFormat(
            f"it was locked by a newer Safe Ground (lock format {version}; this one reads up to "
            f"{max(READERS)}): open it with that version, or update Safe Ground"
        )
    return reader(data)


def _check_of(derived: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(b"safeground passphrase check\x00" + derived[32:]).digest()[:CHECK_BYTES]


class Key:
    """A key derived from the passphrase, kept while the profile is unlocked."""

    def __init__(self, derived: bytes, params: KdfParams, salt: bytes, version: int = FORMAT_VERSION):
        self._key = bytearray(derived[:32])
        self.check = _check_of(derived)
        self.params = params
        self.salt = salt
        self.version = version
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._cipher: AESGCM | None = AESGCM(bytes(self._key))

    @classmethod
    def new(cls, passphrase: str, params: KdfParams | None = None, *, version: int = FORMAT_VERSION) -> Key:
        """A key for a passphrase being set: a fresh random salt. ``params`` defaults to
        :func:`default_params`; tests pass cheaper ones to stay fast."""
        params = params or default_params()
        salt = os.urandom(SALT_BYTES)
        return cls(params.derive(passphrase, salt), params, salt, version)

    @classmethod
    def unlock(cls, sealed: bytes, passphrase: str) -> Key:
        """The key that opens ``sealed`` (derived with the salt and cost its header records), or
        :class:`WrongPassphrase` / :class:`CannotDecrypt` / :class:`NewerFormat`."""
        import hmac

        header = read_header(sealed)
        derived = header.params.derive(passphrase, header.salt)
        if not hmac.compare_digest(_check_of(derived), header.check):
            raise WrongPassphrase()
        return cls(derived, header.params, header.salt, FORMAT_VERSION)

    @property
    def usable(self) -> bool:
        return self._cipher is not None

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt with a fresh random nonce; the header is authenticated with the ciphertext."""
        if self._cipher is None:
            raise VaultError("the profile was locked again; unlock it to save")
        nonce = os.urandom(NONCE_BYTES)
        header = WRITERS[self.version](self.params, self.salt, self.check, nonce)
        return header + self._cipher.encrypt(nonce, plaintext, header)

    def open(self, sealed: bytes) -> bytes:
        """Decrypt a file sealed with this key, or raise :class:`VaultError`."""
        from cryptography.exceptions import InvalidTag

        if self._cipher is None:
            raise VaultError("the profile was locked again; unlock it to read")
        header = read_header(sealed)
        if header.salt != self.salt or header.params != self.params or header.check != self.check:
            raise WrongPassphrase()  # sealed under another passphrase (or its header was changed)
        try:
            return self._cipher.decrypt(header.nonce, sealed[len(header.raw) :], header.raw)
        except InvalidTag:
            raise CannotDecrypt("it is damaged (a part of it was changed or is missing)") from None

    def forget(self) -> None:
        """Zero the key bytes held here and drop the cipher (Python may still hold copies
        elsewhere in memory until it reuses it; see docs/privacy-and-safety.md)."""
        for index in range(len(self._key)):
            self._key[index] = 0
        self._cipher = None
