"""Trust policy: the verifier's own list of keys it trusts.

A trust policy is always the verifier's file. Keys registered inside a ledger (or carried
in a bundle) are claims; they are only trusted if the policy lists them.

JSON form (``docs/trust-policy.md``)::

    {"custody_trust": 1,
     "keys": [{"name": "...", "public_key": "<64 hex>", "roles": ["custodian"],
               "valid_from": "2026-01-01T00:00:00Z", "valid_until": null}],
     "logs": [{"origin": "custody.example.org/unit-7", "public_key": "<64 hex>"}]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from custody._fs import read_limited
from custody.crypto import PublicKey
from custody.errors import InvalidInput
from custody.model import utc_datetime
from custody.verify._entries import KeyRing

TRUST_FORMAT = 1
_MAX_POLICY_BYTES = 4 * 1024 * 1024


@attrs.frozen
class TrustedKey:
    """A key the verifier trusts, with a name, the roles it is trusted for, and when.

    Attributes:
        name: the verifier's name for the key holder.
        public_key: the key.
        roles: labels of what the key is trusted for (shown in reports).
        valid_from: events claiming an earlier time are not trusted (``None``: no bound).
        valid_until: events claiming a later time are not trusted, for instance after the
            key was reported compromised (``None``: no bound).
    """

    name: str
    public_key: PublicKey
    roles: tuple[str, ...] = ()
    valid_from: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(utc_datetime)
    )
    valid_until: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(utc_datetime)
    )

    @property
    def key_id(self) -> bytes:
        """RFC 9679 thumbprint of the key."""
        return self.public_key.key_id

    def valid_at(self, when: datetime) -> bool:
        """Whether ``when`` lies within the key's validity (both bounds included)."""
        after_start = self.valid_from is None or when >= self.valid_from
        return after_start and (self.valid_until is None or when <= self.valid_until)


@attrs.frozen
class TrustedLog:
    """A log the verifier trusts: its origin and checkpoint key."""

    origin: str
    public_key: PublicKey


def _one_entry_per_key(_: object, attribute: attrs.Attribute[Any], keys: Any) -> None:
    _refuse_repeats([key.key_id.hex() for key in keys], attribute.name, "key")


def _one_entry_per_log(_: object, attribute: attrs.Attribute[Any], logs: Any) -> None:
    _refuse_repeats([log.origin for log in logs], attribute.name, "log")


def _refuse_repeats(names: list[str], field: str, what: str) -> None:
    """Two entries for one key or log would leave which one counts (its validity, say) to
    the order of the file: refuse them."""
    first: dict[str, int] = {}
    for later, name in enumerate(names):
        earlier = first.setdefault(name, later)
        if earlier != later:
            raise InvalidInput(
                f"lists {what} {name} twice ({field}[{earlier}] and {field}[{later}]); give "
                f"one entry per {what}",
                field="trust policy",
            )


@attrs.frozen
class TrustPolicy:
    """The keys and logs a verifier trusts, each listed once."""

    keys: tuple[TrustedKey, ...] = attrs.field(default=(), validator=_one_entry_per_key)
    logs: tuple[TrustedLog, ...] = attrs.field(default=(), validator=_one_entry_per_log)

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

    def key_ring(self, claimed: Mapping[bytes, bytes]) -> KeyRing:
        """The keys to verify signatures with: this policy's, with ``claimed`` (raw public
        keys by key id, from a ledger's register or a bundle) only to name the untrusted.
        """
        trusted = {k.key_id: k.public_key.to_bytes() for k in self.keys}
        validity = {
            k.key_id: (k.valid_from, k.valid_until)
            for k in self.keys
            if k.valid_from is not None or k.valid_until is not None
        }
        return KeyRing(claimed, trusted, validity)

    def to_dict(self) -> dict[str, Any]:
        """The policy in its JSON form."""
        return {
            "custody_trust": TRUST_FORMAT,
            "keys": [_key_dict(k) for k in self.keys],
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


def _key_dict(key: TrustedKey) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": key.name,
        "public_key": key.public_key.to_bytes().hex(),
        "roles": list(key.roles),
    }
    for bound in ("valid_from", "valid_until"):
        value = getattr(key, bound)
        if value is not None:
            out[bound] = value.isoformat().replace("+00:00", "Z")
    return out


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


_KEY_FIELDS = {"name", "public_key", "roles", "valid_from", "valid_until"}


def _trusted_key(entry: Any, field: str) -> TrustedKey:
    if not isinstance(entry, dict) or set(entry) - _KEY_FIELDS:
        raise InvalidInput(
            "must be an object with name, public_key, and optionally roles, valid_from and "
            "valid_until",
            field=field,
        )
    name, roles = entry.get("name"), entry.get("roles", [])
    if not isinstance(name, str) or not name:
        raise InvalidInput("name must be non-empty text", field=field)
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidInput("roles must be a list of text", field=field)
    valid_from = _moment(entry.get("valid_from"), f"{field}.valid_from")
    valid_until = _moment(entry.get("valid_until"), f"{field}.valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidInput("valid_until is before valid_from", field=field)
    return TrustedKey(name, _public_key(entry, field), tuple(roles), valid_from, valid_until)


def _moment(value: Any, field: str) -> datetime | None:
    """An ISO 8601 time with its UTC offset (``Z`` or ``+01:00``), or ``None`` for null."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidInput(
            "must be an ISO 8601 time with its UTC offset, e.g. 2026-01-31T00:00:00Z",
            field=field,
        )
    return utc_datetime(parsed)


def _trusted_log(entry: Any, field: str) -> TrustedLog:
    if not isinstance(entry, dict) or set(entry) != {"origin", "public_key"}:
        raise InvalidInput("must be an object with origin and public_key", field=field)
    if not isinstance(entry["origin"], str) or not entry["origin"]:
        raise InvalidInput("origin must be non-empty text", field=field)
    return TrustedLog(entry["origin"], _public_key(entry, field))
