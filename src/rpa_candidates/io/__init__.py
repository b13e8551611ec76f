"""Reading event logs: :func:`read_log` and one reader per format."""

from .read import read_log

__all__ = ["read_log"]
