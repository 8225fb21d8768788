"""Trust policy: the verifier's own list of keys it trusts.

A trust policy is always the verifier's file. Keys registered inside a ledger (or carried
in a bundle) are claims; they are only trusted if the policy lists them.

JSON form (``docs/trust-policy.md``)::

    {"custody_trust": 1,
     "keys": [{"name": "...", "public_key": "<64 hex>", "roles": ["custodian"]}],
     "logs": [{"origin": "custody.example.org/unit-7", "public_key": "<64 hex>"}]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from custody._fs import read_limited
from custody.crypto import PublicKey
from custody.errors import InvalidInput

TRUST_FORMAT = 1
_MAX_POLICY_BYTES = 4 * 1024 * 1024


@attrs.frozen
class TrustedKey:
    """A key the verifier trusts, with a name and the roles it is trusted for."""

    name: str
    public_key: PublicKey
    roles: tuple[str, ...] = ()

    @property
    def key_id(self) -> bytes:
        """RFC 9679 thumbprint of the key."""
        return self.public_key.key_id


@attrs.frozen
class TrustedLog:
    """A log the verifier trusts: its origin and checkpoint key."""

    origin: str
    public_key: PublicKey


@attrs.frozen
class TrustPolicy:
    """The keys and logs a verifier trusts."""

    keys: tuple[TrustedKey, ...] = ()
    logs: tuple[TrustedLog, ...] = ()

    def key(self, key_id: bytes) -> TrustedKey | None:
        """The trusted key with that key id, if the policy lists it."""
        return next((k for k in self.keys if k.key_id == key_id), None)

    def log_key(self, origin: str) -> PublicKey | None:
        """The trusted checkpoint key for a log origin, if the policy lists it."""
        return next((log.public_key for log in self.logs if log.origin == origin), None)

    @property
    def key_map(self) -> Mapping[bytes, PublicKey]:
        """Trusted public keys by key id."""
        return {k.key_id: k.public_key for k in self.keys}

    def to_dict(self) -> dict[str, Any]:
        """The policy in its JSON form."""
        return {
            "custody_trust": TRUST_FORMAT,
            "keys": [
                {
                    "name": k.name,
                    "public_key": k.public_key.to_bytes().hex(),
                    "roles": list(k.roles),
                }
                for k in self.keys
            ],
            "logs": [
                {"origin": log.origin, "public_key": log.public_key.to_bytes().hex()}
                for log in self.logs
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> TrustPolicy:
        """Read a policy from its JSON form, refusing anything unexpected.

        Raises:
            InvalidInput: naming the offending entry.
        """
        version = data.get("custody_trust") if isinstance(data, dict) else None
        if type(version) is not int or version != TRUST_FORMAT:
            raise InvalidInput(
                f'must be an object with "custody_trust": {TRUST_FORMAT}', field="trust policy"
            )
        unknown = set(data) - {"custody_trust", "keys", "logs"}
        if unknown:
            raise InvalidInput(f"unknown fields {sorted(unknown)}", field="trust policy")
        keys = tuple(
            _trusted_key(entry, f"keys[{n}]") for n, entry in enumerate(_list(data, "keys"))
        )
        logs = tuple(
            _trusted_log(entry, f"logs[{n}]") for n, entry in enumerate(_list(data, "logs"))
        )
        return cls(keys, logs)

    @classmethod
    def from_file(cls, path: str | Path) -> TrustPolicy:
        """Read a policy from a JSON file.

        Raises:
            InvalidInput: if the file is missing, too large, not JSON or not a policy.
        """
        raw = read_limited(path, _MAX_POLICY_BYTES, "trust policy")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise InvalidInput(f"trust policy is not JSON ({exc})", field=str(path)) from exc
        return cls.from_dict(data)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InvalidInput("must be a list", field=key)
    return value


def _public_key(entry: dict[str, Any], field: str) -> PublicKey:
    value = entry.get("public_key")
    try:
        return PublicKey.from_bytes(bytes.fromhex(value) if isinstance(value, str) else b"")
    except (ValueError, InvalidInput) as exc:
        raise InvalidInput(
            "public_key must be 64 hex digits of an Ed25519 key", field=field
        ) from exc


def _trusted_key(entry: Any, field: str) -> TrustedKey:
    if not isinstance(entry, dict) or set(entry) - {"name", "public_key", "roles"}:
        raise InvalidInput("must be an object with name, public_key and roles", field=field)
    name, roles = entry.get("name"), entry.get("roles", [])
    if not isinstance(name, str) or not name:
        raise InvalidInput("name must be non-empty text", field=field)
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidInput("roles must be a list of text", field=field)
    return TrustedKey(name, _public_key(entry, field), tuple(roles))


def _trusted_log(entry: Any, field: str) -> TrustedLog:
    if not isinstance(entry, dict) or set(entry) != {"origin", "public_key"}:
        raise InvalidInput("must be an object with origin and public_key", field=field)
    if not isinstance(entry["origin"], str) or not entry["origin"]:
        raise InvalidInput("origin must be non-empty text", field=field)
    return TrustedLog(entry["origin"], _public_key(entry, field))
