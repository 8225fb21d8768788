"""Who and where: actors who sign events, and places where things happen."""

from __future__ import annotations

from typing import Any

import attrs

from custody.errors import InvalidInput
from custody.model._values import (
    KEY_ID_SIZE,
    digest_field,
    text_field,
)

# Coordinates are integers of 1e-7 degrees: floats never enter signed data (formats.md §5.2).
_E7 = 10_000_000


def _latitude(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and not (type(value) is int and -90 * _E7 <= value <= 90 * _E7):
        raise InvalidInput("must be an integer of 1e-7 degrees within ±90°", field=attribute.name)


def _longitude(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and not (type(value) is int and -180 * _E7 <= value <= 180 * _E7):
        raise InvalidInput("must be an integer of 1e-7 degrees within ±180°", field=attribute.name)


@attrs.frozen
class Actor:
    """A person or system that signs custody events.

    The key id (RFC 9679 thumbprint of the actor's Ed25519 public key) is what events
    carry; name, role and organisation are looked up from the ledger's actor register and
    never travel inside an event envelope.
    """

    key_id: bytes = attrs.field(validator=digest_field(KEY_ID_SIZE))
    name: str = attrs.field(validator=text_field(200))
    role: str = attrs.field(validator=text_field(200))
    organisation: str | None = attrs.field(default=None, validator=text_field(200))

    @property
    def key_id_hex(self) -> str:
        """The key id as lowercase hex, the form people compare."""
        return self.key_id.hex()


_PLACE_KEYS = frozenset({"name", "address", "lat_e7", "lon_e7"})


@attrs.frozen
class Place:
    """Where an event happened: a name, and optionally an address and coordinates."""

    name: str = attrs.field(validator=text_field(500))
    address: str | None = attrs.field(default=None, validator=text_field(500))
    lat_e7: int | None = attrs.field(default=None, validator=_latitude)
    lon_e7: int | None = attrs.field(default=None, validator=_longitude)

    def __attrs_post_init__(self) -> None:
        if (self.lat_e7 is None) != (self.lon_e7 is None):
            raise InvalidInput("latitude and longitude must be given together", field="place")

    def to_dict(self) -> dict[str, Any]:
        """The place as a CBOR-ready dict, absent parts left out."""
        out: dict[str, Any] = {"name": self.name}
        if self.address is not None:
            out["address"] = self.address
        if self.lat_e7 is not None:
            out["lat_e7"] = self.lat_e7
            out["lon_e7"] = self.lon_e7
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Place:
        """Build a place from :meth:`to_dict` output; unknown keys are refused."""
        if not isinstance(data, dict):
            raise InvalidInput("must be a map", field="place")
        unknown = data.keys() - _PLACE_KEYS
        if unknown:
            raise InvalidInput(f"unknown keys {sorted(unknown)}", field="place")
        if "name" not in data:
            raise InvalidInput("has no name", field="place")
        return cls(data["name"], data.get("address"), data.get("lat_e7"), data.get("lon_e7"))
