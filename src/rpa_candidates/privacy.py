"""Pseudonymisation of staff and case identifiers with a keyed hash.

A pseudonym is ``prefix + HMAC-SHA256(key, value)[:n]`` in hex, so

* the same value gets the same pseudonym for the same key (several exports of one town,
  read with one key, join on case and staff pseudonyms);
* without the key nobody can test a guessed name against a pseudonym (a plain hash of
  ``"Sabine Müller"`` could be recomputed by anyone).

``n`` starts at 10 hex digits (40 bits) and grows until no two values collide.

Where the caller gives no key, the key is taken from the environment variable
``RPA_CANDIDATES_PSEUDONYM_KEY`` or, failing that, derived from the log itself (a SHA-256
over its sorted distinct case ids and resources): deterministic for the same input, and
not computable by someone who does not have the whole log. Pass ``pseudonym_key=`` to
:func:`rpa_candidates.read_log` for pseudonyms that are stable across exports.

Staff are pseudonymised by default in everything the library outputs (German staff
councils and GDPR Art. 4(5), Art. 25); no function ranks individual employees.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable

import polars as pl

from .errors import ParameterError

__all__ = ["KEY_ENVIRONMENT_VARIABLE", "derive_key", "pseudonym_map", "pseudonymize_column"]

KEY_ENVIRONMENT_VARIABLE = "RPA_CANDIDATES_PSEUDONYM_KEY"
_MIN_DIGITS = 10


def _as_key(key: str | bytes) -> bytes:
    if isinstance(key, bytes):
        material = key
    elif isinstance(key, str):
        material = key.encode("utf-8")
    else:
        raise ParameterError(
            f"pseudonym_key must be str or bytes, got {type(key).__name__!r}. "
            "Pass a secret string kept by the town, e.g. pseudonym_key='...'."
        )
    if len(material) < 8:
        raise ParameterError(
            f"pseudonym_key is too short ({len(material)} bytes); use at least 8 characters "
            "so the pseudonyms cannot be reversed by trying keys."
        )
    return material


def derive_key(values: Iterable[str], *, key: str | bytes | None = None) -> bytes:
    """Return the HMAC key: the given one, the environment's, or one derived from the data.

    Parameters
    ----------
    values : iterable of str
        The distinct identifiers of the log (used only when no key is given).
    key : str or bytes, default=None
        An explicit key.
    """
    if key is not None:
        return _as_key(key)
    environment = os.environ.get(KEY_ENVIRONMENT_VARIABLE)
    if environment:
        return _as_key(environment)
    digest = hashlib.sha256(b"rpa_candidates pseudonym key v1\x00")
    for value in sorted(values):
        digest.update(value.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.digest()


def pseudonym_map(values: Iterable[str], *, key: bytes, prefix: str) -> dict[str, str]:
    """Map each distinct value to ``prefix + hex digest`` (collision-free).

    Parameters
    ----------
    values : iterable of str
        Distinct identifiers.
    key : bytes
        HMAC key (see :func:`derive_key`).
    prefix : str
        E.g. ``"MA-"`` for staff (Mitarbeitende) or ``"V-"`` for cases (Vorgang).

    Returns
    -------
    dict
        ``{value: pseudonym}``.
    """
    distinct = sorted(set(values))
    digests = [
        hmac.digest(key, v.encode("utf-8", "surrogatepass"), "sha256").hex() for v in distinct
    ]
    digits = _MIN_DIGITS
    while len({d[:digits] for d in digests}) < len(digests):
        digits += 2
    return {v: prefix + d[:digits] for v, d in zip(distinct, digests, strict=True)}


def pseudonymize_column(
    frame: pl.DataFrame, column: str, *, key: bytes, prefix: str
) -> tuple[pl.DataFrame, dict[str, str]]:
    """Replace ``frame[column]`` by pseudonyms; nulls stay null.

    Returns the new frame and the mapping ``{pseudonym: original}``, which the caller
    keeps in memory only (it never reaches an output).
    """
    distinct = frame.get_column(column).drop_nulls().unique().to_list()
    mapping = pseudonym_map(distinct, key=key, prefix=prefix)
    replaced = frame.with_columns(
        pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.String)
    )
    return replaced, {p: v for v, p in mapping.items()}
