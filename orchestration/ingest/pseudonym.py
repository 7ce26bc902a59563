"""Keyed pseudonyms: person_key = first 32 hex of HMAC-SHA256(key, ten ASCII digits).

The HMAC is computed inside DuckDB (`person_key_sql`), set-based over the whole file, from the
two padded key blocks passed as parameters; the clear CPR never leaves the ingest transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from orchestration.errors import LedgerError

log = logging.getLogger(__name__)

KEY_ENV = "OUTCOME_LEDGER_PSEUDONYM_KEY"
KEY_FILE_ENV = "OUTCOME_LEDGER_KEY_FILE"
DEFAULT_KEY_FILE = Path.home() / ".config" / "outcome-ledger" / "pseudonym.key"
_BLOCK = 64  # SHA-256 block size
_ANNOUNCED: set[Path] = set()  # key files already named in a warning by this process


class KeyMismatch(LedgerError):
    """No usable pseudonym key: none is set, or the warehouse was built under another one."""


@dataclass(frozen=True)
class PseudonymKey:
    key: bytes

    @property
    def fingerprint(self) -> str:
        """First 16 hex of HMAC-SHA256(key, 'outcome-ledger'): identifies a key, reveals nothing."""
        return hmac.new(self.key, b"outcome-ledger", hashlib.sha256).hexdigest()[:16]

    def person_key(self, cpr10: str) -> str:
        """The pseudonym of one normalised CPR (for tests and tools; ingest uses SQL)."""
        return hmac.new(self.key, cpr10.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def sql_parameters(self) -> dict[str, bytes]:
        """The inner and outer padded key blocks of HMAC (RFC 2104) for `person_key_sql`."""
        key = hashlib.sha256(self.key).digest() if len(self.key) > _BLOCK else self.key
        key = key.ljust(_BLOCK, b"\0")
        return {
            "hmac_inner": bytes(b ^ 0x36 for b in key),
            "hmac_outer": bytes(b ^ 0x5C for b in key),
        }


def person_key_sql(cpr_column: str) -> str:
    """SQL expression: the person key of a column of normalised ten-digit CPR text."""
    return (
        f"substr(sha256($hmac_outer || unhex(sha256($hmac_inner || CAST({cpr_column} AS BLOB)))), 1, 32)"
    )


def load_key(*, create: bool = False, new_warehouse: bool = False) -> PseudonymKey:
    """The key from the environment, else from the key file. A missing key file is created
    (0600, with a warning) only when `create` and the warehouse is new — never for a warehouse
    that already belongs to a key, and never by a run started from the UI."""
    value = os.environ.get(KEY_ENV)
    if value:
        return PseudonymKey(value.encode("utf-8"))
    path = Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)
    if not path.exists() and not (create and new_warehouse):
        why = ("this warehouse belongs to an existing key" if not new_warehouse else
               "a run started from Dagster never creates one (the first `outcome-ledger run` of a new "
               "warehouse does, and says where)")
        raise KeyMismatch(
            f"no pseudonym key: {KEY_ENV} is not set and there is no key file at {path}; {why}. Set "
            f"{KEY_ENV}, or {KEY_FILE_ENV} to the key file (the demo keeps its key in demo/pseudonym.key)")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        log.warning(
            "%s is not set: created a pseudonym key file at %s (mode 0600). Keep it safe and "
            "out of version control; every later load must use the same key.",
            KEY_ENV, path,
        )
    elif path not in _ANNOUNCED:
        log.info("%s is not set: using the pseudonym key file %s", KEY_ENV, path)
    _ANNOUNCED.add(path)
    try:
        line = path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError) as error:
        raise KeyMismatch(f"cannot read the pseudonym key file {path} ({type(error).__name__})") from None
    if not line.strip():
        raise KeyMismatch(f"the pseudonym key file {path} is empty")
    return PseudonymKey(line.encode("utf-8"))
