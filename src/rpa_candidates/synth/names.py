"""Fake staff names and opaque user ids for simulated logs.

The realistic names combine frequent German first names of the birth cohorts 1960–2000
with the most frequent German surnames (orders of magnitude from public name statistics,
e.g. the Gesellschaft für deutsche Sprache and the Duden Familiennamen list). They are
invented combinations; any match with a real person is accidental.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FIRST_NAMES", "LAST_NAMES", "SUPPLIERS", "opaque_ids", "staff_names"]

FIRST_NAMES: tuple[str, ...] = (
    "Sabine", "Andrea", "Petra", "Claudia", "Stefanie", "Nicole", "Julia", "Katrin",
    "Anja", "Melanie", "Susanne", "Monika", "Birgit", "Kerstin", "Tanja", "Jennifer",
    "Sarah", "Laura", "Lena", "Anna", "Christina", "Simone", "Martina", "Heike",
    "Jessica", "Katharina", "Ramona", "Yvonne", "Daniela", "Manuela", "Özlem", "Jasmin",
    "Thomas", "Michael", "Andreas", "Stefan", "Frank", "Jürgen", "Markus", "Christian",
    "Matthias", "Daniel", "Tobias", "Jan", "Sebastian", "Alexander", "Uwe", "Klaus",
    "Ralf", "Jörg", "Dirk", "Martin", "Florian", "Timo", "Sven", "Oliver",
    "Holger", "Kai", "Marco", "Philipp", "Dennis", "Mehmet", "Björn", "René",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
    "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
    "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
    "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
    "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
    "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
    "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
)  # fmt: skip

# Invented suppliers for incoming invoices (the legal forms are real, the firms are not).
SUPPLIERS: tuple[str, ...] = (
    "Bürobedarf Hessen GmbH", "Elektro Schäfer e.K.", "Stadtwerke Musterstadt GmbH",
    "Grünpflege Weber & Söhne GbR", "IT-Systemhaus Mittelhessen AG",
    "Reinigungsdienst Klein GmbH", "Heizung Sanitär Krüger", "Druckerei Vogel KG",
    "Kfz-Werkstatt Lorenz", "Softwarelizenzen Roth GmbH",
    "Baustoffe Müller GmbH & Co. KG", "Winterdienst Fuchs UG (haftungsbeschränkt)",
)  # fmt: skip


def staff_names(rng: np.random.Generator, n: int) -> list[str]:
    """Draw ``n`` distinct realistic German names ("Sabine Müller").

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of names, at most ``len(FIRST_NAMES) * len(LAST_NAMES)``.

    Returns
    -------
    list of str
        Distinct "first last" names.
    """
    n_last = len(LAST_NAMES)
    picks = rng.choice(len(FIRST_NAMES) * n_last, size=n, replace=False)
    return [f"{FIRST_NAMES[p // n_last]} {LAST_NAMES[p % n_last]}" for p in picks]


def opaque_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Draw ``n`` distinct opaque user ids such as ``"u7f3a"``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of ids, at most 65,536.

    Returns
    -------
    list of str
        ``"u"`` followed by four hex digits.
    """
    picks = rng.choice(16**4, size=n, replace=False)
    return [f"u{p:04x}" for p in picks]
