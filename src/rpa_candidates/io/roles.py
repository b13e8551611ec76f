"""Column roles: map the columns of a raw table to case, activity, timestamp, ...

A role is either given by the caller or guessed from the column names: the XES names
first, then common German, English and Dutch headers of procedure-system exports. Names
are compared after :func:`normalize_name` (lower case, umlauts folded, punctuation and
spaces removed), so ``"Tätigkeit"``, ``"taetigkeit"`` and ``"TÄTIGKEIT "`` are the same.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..core.errors import ColumnMappingError, ParameterError

__all__ = ["ROLES", "STAFF_HEADERS", "SYNONYMS", "ColumnRoles", "normalize_name", "resolve_roles"]

#: The roles in the order they are resolved; the first three are required.
ROLES = ("case", "activity", "timestamp", "start_timestamp", "resource", "lifecycle")
REQUIRED = ("case", "activity", "timestamp")

#: Header names recognised per role, most specific first (XES name, then DE, EN, NL).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "case": (
        "case:concept:name",
        "case_id",
        "case id",
        "caseid",
        "case",
        "case number",
        "vorgangsnummer",
        "vorgangs-id",
        "vorgangsid",
        "vorgang",
        "aktenzeichen",
        "az",
        "fallnummer",
        "fall-id",
        "fallid",
        "fall",
        "antragsnummer",
        "antrags-id",
        "antragsid",
        "antrag",
        "akte",
        "aktennummer",
        "ticketnummer",
        "ticket",
        "rechnungsnummer",
        "belegnummer",
        "zaaknummer",
        "zaak",
        "zaak id",
        "dossiernummer",
        "dossier",
        "process instance",
        "instance id",
        "trace",
        "trace id",
    ),
    "activity": (
        "concept:name",
        "activity",
        "activity name",
        "activity_name",
        "task",
        "task name",
        "step",
        "event",
        "event name",
        "operation",
        "action",
        "tätigkeit",
        "tätigkeiten",
        "aktivität",
        "aktivitaet",
        "schritt",
        "prozessschritt",
        "bearbeitungsschritt",
        "arbeitsschritt",
        "vorgangsschritt",
        "aktion",
        "ereignis",
        "aufgabe",
        "activiteit",
        "taak",
        "stap",
        "handeling",
        "gebeurtenis",
    ),
    "timestamp": (
        "time:timestamp",
        "timestamp",
        "complete timestamp",
        "completed",
        "end timestamp",
        "end time",
        "end",
        "time",
        "datetime",
        "date",
        "event time",
        "zeitstempel",
        "zeitpunkt",
        "ende",
        "endzeit",
        "endzeitpunkt",
        "erledigt am",
        "abgeschlossen am",
        "bearbeitet am",
        "datum",
        "datum uhrzeit",
        "datum/uhrzeit",
        "zeit",
        "tijdstip",
        "eindtijd",
        "einde",
        "tijd",
        "datum tijd",
    ),
    "start_timestamp": (
        "start_timestamp",
        "start timestamp",
        "start time",
        "start",
        "started",
        "begin",
        "beginn",
        "startzeit",
        "startzeitpunkt",
        "begonnen am",
        "gestartet",
        "begonnen",
        "starttijd",
        "begintijd",
    ),
    "resource": (
        "org:resource",
        "resource",
        "user",
        "user id",
        "username",
        "employee",
        "performer",
        "agent",
        "executor",
        "bearbeiter",
        "bearbeiterin",
        "bearbeiter/in",
        "sachbearbeiter",
        "sachbearbeiterin",
        "sachbearbeiter/in",
        "mitarbeiter",
        "mitarbeiterin",
        "mitarbeiter/in",
        "benutzer",
        "benutzerkennung",
        "nutzer",
        "kennung",
        "ressource",
        "medewerker",
        "gebruiker",
        "uitvoerder",
    ),
    "lifecycle": (
        "lifecycle:transition",
        "lifecycle",
        "transition",
        "lifecycle transition",
        "event type",
        "eventtype",
        "lebenszyklus",
        "ereignistyp",
        "status",
    ),
}


def normalize_name(name: str) -> str:
    """Fold a header for comparison: lower case, ß→ss, umlauts→base letter + e, no
    punctuation or whitespace (``"Tätigkeit "`` → ``"taetigkeit"``)."""
    text = str(name).strip().lower().replace("ß", "ss")
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", text)


_NORMALIZED = {role: [normalize_name(s) for s in names] for role, names in SYNONYMS.items()}


@dataclass(frozen=True)
class ColumnRoles:
    """The resolved column of each role and how it was found.

    Attributes
    ----------
    columns : dict
        ``{role: column}`` for every role that has a column.
    how : dict
        ``{role: "given" | "guessed"}``; a guessed role can be checked in ``log.quality``.
    """

    columns: dict[str, str]
    how: dict[str, str]

    def get(self, role: str) -> str | None:
        return self.columns.get(role)


def _closest(name: str, candidates: Sequence[str]) -> str | None:
    folded = {normalize_name(c): c for c in candidates}
    hit = difflib.get_close_matches(normalize_name(name), list(folded), n=1, cutoff=0.5)
    return folded[hit[0]] if hit else None


def _closest_for_role(role: str, columns: Sequence[str]) -> str | None:
    best, best_ratio = None, 0.0
    for column in columns:
        folded = normalize_name(column)
        for synonym in _NORMALIZED[role]:
            ratio = difflib.SequenceMatcher(None, folded, synonym).ratio()
            if ratio > best_ratio:
                best, best_ratio = column, ratio
    return best if best_ratio >= 0.6 else None


def resolve_roles(columns: Sequence[str], given: Mapping[str, str | None]) -> ColumnRoles:
    """Map each role to a column: given names are checked, missing ones guessed.

    Parameters
    ----------
    columns : sequence of str
        The columns of the raw table.
    given : mapping
        ``{role: column or None}`` as passed to :func:`rpa_candidates.read_log`.

    Returns
    -------
    ColumnRoles

    Raises
    ------
    ColumnMappingError
        A given column does not exist, two roles share a column, or a required role
        (case, activity, timestamp) has no column; the message lists the columns that
        exist and the closest match.
    """
    unknown = set(given) - set(ROLES)
    if unknown:
        raise ParameterError(f"Unknown column roles {sorted(unknown)!r}; expected {ROLES!r}.")
    present = list(columns)
    chosen: dict[str, str] = {}
    how: dict[str, str] = {}
    for role in ROLES:
        name = given.get(role)
        if name is None:
            continue
        if name not in present:
            hint = _closest(name, present)
            raise ColumnMappingError(
                f"The {role} column {name!r} does not exist. Columns found: {present!r}."
                + (f" Did you mean {hint!r}?" if hint else "")
                + f" Pass the exact header, e.g. rpa_candidates.read_log(path, {role}=...)."
            )
        chosen[role], how[role] = name, "given"
    taken = set(chosen.values())
    folded = {column: normalize_name(column) for column in present}
    for role in ROLES:
        if role in chosen:
            continue
        if role == "lifecycle" and "start_timestamp" in chosen:
            continue  # an interval log carries no lifecycle column to pair
        for synonym in _NORMALIZED[role]:
            hit = next((c for c in present if folded[c] == synonym and c not in taken), None)
            if hit is not None:
                chosen[role], how[role] = hit, "guessed"
                taken.add(hit)
                break
    duplicates = {c for c in chosen.values() if list(chosen.values()).count(c) > 1}
    if duplicates:
        roles = {r: c for r, c in chosen.items() if c in duplicates}
        raise ColumnMappingError(
            f"One column serves several roles: {roles!r}. Give each role its own column."
        )
    for role in REQUIRED:
        if role not in chosen:
            hint = _closest_for_role(role, [c for c in present if c not in taken])
            raise ColumnMappingError(
                f"No {role} column found among {present!r}."
                + (f" The closest match is {hint!r}." if hint else "")
                + f" Name it explicitly, e.g. rpa_candidates.read_log(path, {role}="
                + f"{(hint or present[0] if present else 'Spalte')!r})."
            )
    return ColumnRoles(columns=chosen, how=how)


#: Normalised headers of columns that name staff (pseudonymised like the resource).
STAFF_HEADERS = {normalize_name(s) for s in SYNONYMS["resource"]} | {
    "responsible", "creator", "caseresponsible", "casecreator", "zustaendig", "zustaendigkeit",
    "verantwortlich", "ersteller", "erstelltvon", "geaendertvon", "bearbeitetvon",
}  # fmt: skip
