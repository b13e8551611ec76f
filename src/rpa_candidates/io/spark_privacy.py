"""Keyed-hash pseudonyms on Spark, equal to :mod:`rpa_candidates.core.privacy`'s.

HMAC-SHA256 is built from Spark's ``sha2`` on binary values (RFC 2104):
``HMAC(K, m) = H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m))`` with ``K'`` the key padded to the
64-byte block (a longer key is hashed first), so every pseudonym is computed on the
executors and equals :func:`rpa_candidates.core.privacy.pseudonym_map` for the same key: the
prefix plus the first ``n`` hex digits, ``n`` starting at 10 and growing by 2 until no
two distinct values of the column share one.

The driver receives the distinct staff identifiers (and those of attribute columns
holding staff identifiers) with their pseudonyms, to recognise system accounts by name;
case ids stay on the cluster. Driver memory: about 200 bytes per distinct staff value.

Without ``pseudonym_key`` and without the environment variable, the key is derived from
the log as in :func:`rpa_candidates.core.privacy.derive_key`: a SHA-256 over the sorted distinct
case ids and staff ids, which are streamed to the driver one partition at a time
(``toLocalIterator``), so the driver holds one partition of distinct ids at once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..core.privacy import _MIN_DIGITS, KEY_ENVIRONMENT_VARIABLE, derive_key, pseudonym_map
from .roles import normalize_name

__all__ = ["hmac_hex", "pseudonymize_spark", "spark_key"]

_BLOCK = 64  # SHA-256 block size in bytes
#: The prefix of privacy.derive_key's digest (kept equal by tests/test_spark.py).
_DERIVE_PREFIX = b"rpa_candidates pseudonym key v1\x00"


def _col(name: str) -> Column:
    return F.col("`" + name.replace("`", "``") + "`")


def hmac_hex(value: Column, key: bytes) -> Column:
    """HMAC-SHA256 of a string column's UTF-8 bytes under ``key``, as lowercase hex."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\x00")
    inner_pad = bytes(b ^ 0x36 for b in key)
    outer_pad = bytes(b ^ 0x5C for b in key)
    inner = F.unhex(F.sha2(F.concat(F.lit(inner_pad), F.encode(value, "UTF-8")), 256))
    return F.sha2(F.concat(F.lit(outer_pad), inner), 256)


def spark_key(frame: DataFrame, key: str | bytes | None) -> bytes:
    """The key of :func:`rpa_candidates.core.privacy.derive_key`, without collecting the ids.

    Given ``key`` or the environment variable, no data is read. Otherwise the sorted
    distinct ``"c\\0" + case_id`` and ``"r\\0" + resource`` values are hashed as
    ``derive_key`` does (Spark sorts strings by their UTF-8 bytes, which is Python's
    code-point order).
    """
    if key is not None or os.environ.get(KEY_ENVIRONMENT_VARIABLE):
        return derive_key((), key=key)
    material = (
        frame.select(F.concat(F.lit("c\x00"), "case_id").alias("v"))
        .unionByName(
            frame.filter(F.col("resource").isNotNull()).select(
                F.concat(F.lit("r\x00"), "resource").alias("v")
            )
        )
        .distinct()
        .orderBy("v")
    )
    digest = hashlib.sha256(_DERIVE_PREFIX)
    for row in material.toLocalIterator():
        digest.update(row[0].encode("utf-8", "surrogatepass") + b"\x00")
    return digest.digest()


def _distinct_values(frame: DataFrame, columns: list[str]) -> dict[str, list[str]]:
    """Distinct non-null values of a few (staff) columns, in one job."""
    parts = [
        frame.select(F.lit(i).alias("c"), _col(c).alias("v")).dropna()
        for i, c in enumerate(columns)
    ]
    union = parts[0]
    for part in parts[1:]:
        union = union.unionByName(part)
    out: dict[str, list[str]] = {c: [] for c in columns}
    for i, value in union.distinct().collect():
        out[columns[i]].append(value)
    return out


def _digits(frame: DataFrame, columns: list[str], key: bytes) -> dict[str, int]:
    """Hex digits per column so that no two distinct values share a pseudonym."""
    digits = dict.fromkeys(columns, _MIN_DIGITS)
    pending = list(columns)
    while pending:
        row = frame.agg(
            *[F.countDistinct(_col(c)).alias(f"n{i}") for i, c in enumerate(pending)],
            *[
                F.countDistinct(F.substring(hmac_hex(_col(c), key), 1, digits[c])).alias(f"d{i}")
                for i, c in enumerate(pending)
            ],
        ).collect()[0]
        pending = [c for i, c in enumerate(pending) if row[f"d{i}"] < row[f"n{i}"]]
        for c in pending:
            digits[c] += 2
    return digits


def pseudonymize_spark(
    frame: DataFrame,
    attributes: list[str],
    *,
    key: str | bytes | None,
    staff_headers: Collection[str],
) -> tuple[DataFrame, dict[str, dict[str, str]], list[str]]:
    """Replace case ids, resources and staff-holding attributes by pseudonyms.

    The rule of ``read_log``: a string attribute holds staff identifiers when its name
    (without ``case:``) is a staff header, or when at least half of its distinct values
    are resources of the log.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
        The canonical frame.
    attributes : list of str
        Its attribute columns.
    key : str, bytes or None
        ``pseudonym_key`` of ``read_log``.
    staff_headers : collection of str
        Normalised header names that always hold staff identifiers.

    Returns
    -------
    frame : pyspark.sql.DataFrame
    identities : dict
        ``{"resource": {pseudonym: original}}`` (staff of all pseudonymised staff columns).
    hidden : list of str
        The attributes pseudonymised as staff identifiers.
    """
    secret = spark_key(frame, key)
    staff = _distinct_values(frame, ["resource"])["resource"]
    text = [
        f.name
        for f in frame.schema.fields
        if f.name in attributes and f.dataType.simpleString() == "string"
    ]
    case_digest = F.substring(hmac_hex(F.col("case_id"), secret), 1, _MIN_DIGITS)
    row = frame.agg(
        F.countDistinct("case_id").alias("cases"),
        F.countDistinct(case_digest).alias("case_digests"),
        *[F.countDistinct(_col(c)).alias(f"n{i}") for i, c in enumerate(text)],
        *[
            F.countDistinct(F.when(_col(c).isin(*staff), _col(c))).alias(f"s{i}")
            if staff
            else F.lit(0).alias(f"s{i}")
            for i, c in enumerate(text)
        ],
    ).collect()[0]
    hidden = []
    for i, column in enumerate(text):
        named = normalize_name(column.removeprefix("case:")) in staff_headers
        values, shared = row[f"n{i}"], row[f"s{i}"]
        if values and (named or shared >= 0.5 * values):
            hidden.append(column)
    if row["case_digests"] < row["cases"]:
        digits = _digits(frame, ["case_id"], secret)
    else:
        digits = {"case_id": _MIN_DIGITS}
    # staff columns: their distinct values come to the driver anyway (identities), so
    # privacy.pseudonym_map itself gives their pseudonyms; case ids stay on the cluster
    values = {"resource": staff, **(_distinct_values(frame, hidden) if hidden else {})}
    identities: dict[str, str] = {}
    for column in ["resource", *hidden]:
        mapping = pseudonym_map(values[column], key=secret, prefix="MA-")
        identities.update({p: v for v, p in mapping.items()})
        digits[column] = len(next(iter(mapping.values()), "MA-" + "0" * _MIN_DIGITS)) - 3
    prefixes = {"case_id": "V-", "resource": "MA-", **dict.fromkeys(hidden, "MA-")}

    def pseudonym(column: str) -> Column:
        digest = F.substring(hmac_hex(_col(column), secret), 1, digits[column])
        return F.when(_col(column).isNotNull(), F.concat(F.lit(prefixes[column]), digest))

    out = frame.select(
        *[
            pseudonym(f.name).alias(f.name) if f.name in prefixes else _col(f.name)
            for f in frame.schema.fields
        ]
    )
    return out, {"resource": identities}, hidden
