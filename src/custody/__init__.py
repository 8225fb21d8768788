"""custody: forensic documentation and chain of custody."""

__version__ = "0.1.0"
