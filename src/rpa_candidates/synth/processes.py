"""Four German municipal processes as data, with their ground truth.

The numbers (handling-time medians, branch probabilities, attribute distributions) are
*simulator parameters*: plausible orders of magnitude for a mid-sized Hessian town,
chosen in the spirit of the time-value table (Zeitwerttabelle Verwaltung) of the Destatis
"Leitfaden zur Ermittlung und Darstellung des Erfüllungsaufwands". They are assumptions
for testing the library, not measurements, and they are not library defaults.

Labels of the automation class follow the usual RPA suitability criteria (rule-based,
structured digital input, high volume, few exceptions):

- ``automated``: a system user already does the step.
- ``highly_automatable``: rules on structured data (data entry from a form, calculations,
  template letters, register look-ups).
- ``low_automatable``: rule-based in principle but on unstructured documents or with a
  legally required human sign-off.
- ``cognitive``: judgement, physical or communication work.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rpa_candidates.synth.names import SUPPLIERS
from rpa_candidates.synth.spec import END, START, Activity, ProcessSpec, Role, Transition

__all__ = ["PROCESSES", "WOHNGELD_EINKOMMENSGRENZE"]

A, R, T = Activity, Role, Transition

# --------------------------------------------------------------------------------------
# Wohngeld (housing benefit, WoGG). The income limit is a simplified monthly limit by
# household size, rounded, of the order of the 2025 limits for rent level IV; the real
# decision follows the formula of § 19 WoGG.
WOHNGELD_EINKOMMENSGRENZE: dict[int, float] = {
    1: 1560.0,
    2: 2110.0,
    3: 2590.0,
    4: 3530.0,
    5: 4040.0,
    6: 4550.0,
}


def _wohngeld_attributes(rng: np.random.Generator, n: int) -> pd.DataFrame:
    size = rng.choice([1, 2, 3, 4, 5, 6], size=n, p=[0.45, 0.2, 0.12, 0.12, 0.07, 0.04])
    limit = np.array([WOHNGELD_EINKOMMENSGRENZE[h] for h in range(1, 7)])[size - 1]
    income = np.round(limit * np.exp(rng.normal(-0.2, 0.3, n)), 2)
    return pd.DataFrame(
        {
            "Haushaltsgroesse": size.astype(np.int64),
            "Einkommen": income,
            "Miete": np.round(300 + 140 * size + rng.normal(0, 60, n).clip(-150, 400), 2),
            "Antragsart": rng.choice(["Erstantrag", "Weiterleistungsantrag"], n, p=[0.55, 0.45]),
            "Eingangskanal": rng.choice(["Papier", "Online"], n, p=[0.6, 0.4]),
            "Schwerbehinderung": rng.random(n) < 0.12,
            "_Einkommensgrenze": limit,
        }
    )


_WG = "Wohngeldstelle"
WOHNGELD = ProcessSpec(
    name="wohngeld",
    title="Wohngeldantrag",
    case_prefix="WG",
    roles=(
        R(_WG, utilisation=0.85),
        R("Rechtsamt", utilisation=0.7),
        R("batch_druckstrasse", "batch"),
    ),
    activities=(
        A("Beratungsgespräch führen", _WG, "cognitive", False, 20, 0.45),
        A("Antrag erfassen", _WG, "highly_automatable", True, 12, 0.35),
        A("Vollständigkeit prüfen", _WG, "low_automatable", True, 8, 0.4),
        A("Unterlagen nachfordern", _WG, "highly_automatable", True, 6, 0.3),
        A("Antrag zurückgezogen", _WG, "low_automatable", False, 4, 0.3),
        A("Einkommen berechnen", _WG, "highly_automatable", True, 18, 0.45),
        A("Miete und Wohnfläche prüfen", _WG, "low_automatable", True, 7, 0.4),
        A("Wohngeld berechnen", _WG, "highly_automatable", True, 5, 0.3),
        A("Bewilligungsbescheid erstellen", _WG, "highly_automatable", True, 9, 0.3),
        A("Ablehnungsbescheid erstellen", _WG, "highly_automatable", True, 11, 0.35),
        A("Zahlung anordnen", _WG, "highly_automatable", True, 4, 0.3),
        A("Bescheid drucken und versenden", "batch_druckstrasse", "automated", True),
        A("Widerspruch prüfen", "Rechtsamt", "cognitive", False, 45, 0.6),
    ),
    transitions=(
        T(START, "Beratungsgespräch führen", 0.25),
        T(START, "Antrag erfassen"),
        T("Beratungsgespräch führen", END, 0.15, kind="exception"),
        T("Beratungsgespräch führen", "Antrag erfassen", wait="buerger"),
        T("Antrag erfassen", "Vollständigkeit prüfen"),
        T("Vollständigkeit prüfen", "Unterlagen nachfordern", 0.35, kind="rework"),
        T("Vollständigkeit prüfen", "Einkommen berechnen"),
        T("Unterlagen nachfordern", "Antrag zurückgezogen", 0.12, kind="exception", wait="buerger"),
        T("Unterlagen nachfordern", "Vollständigkeit prüfen", wait="buerger"),
        T("Antrag zurückgezogen", END),
        T("Einkommen berechnen", "Miete und Wohnfläche prüfen"),
        T("Miete und Wohnfläche prüfen", "Wohngeld berechnen"),
        T(
            "Wohngeld berechnen",
            "Ablehnungsbescheid erstellen",
            when="Einkommen > _Einkommensgrenze",
            rule="Einkommen > Einkommensgrenze(Haushaltsgroesse)",
        ),
        T(
            "Wohngeld berechnen",
            "Bewilligungsbescheid erstellen",
            rule="Einkommen <= Einkommensgrenze(Haushaltsgroesse)",
        ),
        T("Bewilligungsbescheid erstellen", "Zahlung anordnen"),
        T("Zahlung anordnen", "Bescheid drucken und versenden"),
        T("Ablehnungsbescheid erstellen", "Bescheid drucken und versenden"),
        T("Bescheid drucken und versenden", "Widerspruch prüfen", 0.05, wait="frist"),
        T("Bescheid drucken und versenden", END),
        T("Widerspruch prüfen", END),
    ),
    attributes=_wohngeld_attributes,
)

# --------------------------------------------------------------------------------------
# Gewerbeanmeldung (trade registration, § 14 GewO). Permits: § 34a (security), § 34c
# (estate agents), § 34d (insurance brokers) GewO; restaurants get a site visit.
_ERLAUBNISPFLICHTIG = ["Bewachungsgewerbe", "Immobilienmakler", "Versicherungsvermittlung"]


def _gewerbe_attributes(rng: np.random.Generator, n: int) -> pd.DataFrame:
    rechtsform = rng.choice(
        ["Einzelunternehmen", "GmbH", "UG (haftungsbeschränkt)", "GbR", "e.K."],
        n,
        p=[0.6, 0.15, 0.07, 0.1, 0.08],
    )
    free = ["Einzelhandel", "Dienstleistung", "Handwerk", "Gaststätte", "Online-Handel"]
    art = rng.choice(
        [*free, *_ERLAUBNISPFLICHTIG],
        n,
        p=[0.22, 0.33, 0.14, 0.1, 0.08, 0.03, 0.06, 0.04],
    )
    fee = np.where(np.isin(rechtsform, ["GmbH", "UG (haftungsbeschränkt)"]), 36.0, 26.0)
    fee = np.where(rechtsform == "GbR", 52.0, fee)  # per partner, two partners assumed
    return pd.DataFrame(
        {
            "Rechtsform": rechtsform,
            "Gewerbeart": art,
            "Anmeldungsart": rng.choice(
                ["Neuerrichtung", "Übernahme", "Zuzug"], n, p=[0.75, 0.15, 0.1]
            ),
            "Beschaeftigte": rng.poisson(1.5, n).astype(np.int64),
            "Eingangskanal": rng.choice(["Papier", "Online"], n, p=[0.5, 0.5]),
            "Gebuehr": fee,
        }
    )


_GA = "Gewerbeamt"
_FA = "SYS_FINANZAMT_SCHNITTSTELLE"
GEWERBEANMELDUNG = ProcessSpec(
    name="gewerbeanmeldung",
    title="Gewerbeanmeldung",
    case_prefix="GA",
    roles=(
        R(_GA, utilisation=0.8),
        R("Außendienst Ordnungsamt", utilisation=0.7),
        R(_FA, "system"),
    ),
    activities=(
        A("Anmeldung erfassen", _GA, "highly_automatable", True, 10, 0.35),
        A("Identität prüfen", _GA, "low_automatable", True, 4, 0.3),
        A("Vollständigkeit prüfen", _GA, "low_automatable", True, 5, 0.4),
        A("Unterlagen nachfordern", _GA, "highly_automatable", True, 6, 0.3),
        A("Vorgang eingestellt", _GA, "low_automatable", False, 3, 0.3),
        A("Erlaubnispflicht prüfen", _GA, "cognitive", False, 15, 0.6),
        A("Gewerbezentralregister abfragen", _GA, "highly_automatable", True, 5, 0.3),
        A("Erlaubnisnachweis prüfen", _GA, "low_automatable", True, 12, 0.5),
        A("Ortsbesichtigung durchführen", "Außendienst Ordnungsamt", "cognitive", False, 90, 0.45),
        A("Gebühr berechnen", _GA, "highly_automatable", True, 2, 0.3),
        A("Gewerbeschein ausstellen", _GA, "highly_automatable", True, 6, 0.3),
        A("Daten an Finanzamt/IHK/HWK übermitteln", _FA, "automated", True),
    ),
    transitions=(
        T(START, "Anmeldung erfassen"),
        T("Anmeldung erfassen", "Identität prüfen"),
        T("Identität prüfen", "Vollständigkeit prüfen"),
        T("Vollständigkeit prüfen", "Unterlagen nachfordern", 0.2, kind="rework"),
        T("Vollständigkeit prüfen", "Erlaubnispflicht prüfen"),
        T("Unterlagen nachfordern", "Vorgang eingestellt", 0.1, kind="exception", wait="buerger"),
        T("Unterlagen nachfordern", "Vollständigkeit prüfen", wait="buerger"),
        T("Vorgang eingestellt", END),
        T(
            "Erlaubnispflicht prüfen",
            "Gewerbezentralregister abfragen",
            when=f"Gewerbeart in {_ERLAUBNISPFLICHTIG!r}",
            rule="Gewerbeart in (Bewachungsgewerbe, Immobilienmakler, Versicherungsvermittlung)",
        ),
        T(
            "Erlaubnispflicht prüfen",
            "Ortsbesichtigung durchführen",
            when="Gewerbeart == 'Gaststätte'",
            rule="Gewerbeart == Gaststätte",
        ),
        T("Erlaubnispflicht prüfen", "Gebühr berechnen"),
        T("Gewerbezentralregister abfragen", "Erlaubnisnachweis prüfen", wait="post"),
        T("Erlaubnisnachweis prüfen", "Gebühr berechnen"),
        T("Ortsbesichtigung durchführen", "Gebühr berechnen"),
        T("Gebühr berechnen", "Gewerbeschein ausstellen"),
        T("Gewerbeschein ausstellen", "Daten an Finanzamt/IHK/HWK übermitteln", wait="sofort"),
        T("Daten an Finanzamt/IHK/HWK übermitteln", END),
    ),
    attributes=_gewerbe_attributes,
)


# --------------------------------------------------------------------------------------
# Eingangsrechnung (incoming invoice). Second sign-off above 5,000 EUR as in many
# municipal Dienstanweisungen für das Finanzwesen (the threshold varies by town).
def _rechnung_attributes(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Betrag": np.round(np.exp(rng.normal(np.log(800.0), 1.4, n)).clip(5, 250_000), 2),
            "Eingangskanal": rng.choice(
                ["Papier", "PDF per E-Mail", "XRechnung"], n, p=[0.45, 0.25, 0.3]
            ),
            "Lieferant": rng.choice(np.array(SUPPLIERS, dtype=object), n),
            "Kostenstelle": rng.choice(
                [
                    "1100 Hauptamt",
                    "2100 Ordnungsamt",
                    "4000 Schulen",
                    "5100 Bauhof",
                    "6100 Tiefbau",
                ],
                n,
            ),
            "Skonto": rng.random(n) < 0.2,
        }
    )


_KB, _FAMT = "Kreditorenbuchhaltung", "Fachamt"
EINGANGSRECHNUNG = ProcessSpec(
    name="eingangsrechnung",
    title="Eingangsrechnung",
    case_prefix="ER",
    roles=(
        R("Poststelle", utilisation=0.75),
        R(_KB, utilisation=0.85),
        R(_FAMT, utilisation=0.8),
        R("Amtsleitung", utilisation=0.7),
        R("RPA-Bot-Rechnung", "system"),
        R("SYS_HKR_ZAHLLAUF", "batch", batch_time="22:30"),
    ),
    activities=(
        A("Rechnung scannen", "Poststelle", "cognitive", True, 2, 0.3),
        A("E-Rechnung einlesen", "RPA-Bot-Rechnung", "automated", True),
        A("Rechnungsdaten erfassen", _KB, "highly_automatable", True, 6, 0.4),
        A("Kreditorenstammdaten prüfen", _KB, "highly_automatable", True, 4, 0.35),
        A("Sachliche Prüfung", _FAMT, "cognitive", False, 12, 0.7),
        A("Rückfrage beim Lieferanten", _FAMT, "cognitive", False, 15, 0.5),
        A("Rechnung zurückweisen", _KB, "low_automatable", False, 10, 0.4),
        A("Rechnerische Prüfung", _KB, "highly_automatable", True, 5, 0.35),
        A("Freigabe", _FAMT, "low_automatable", True, 3, 0.4),
        A("Zweite Freigabe", "Amtsleitung", "low_automatable", True, 4, 0.4),
        A("Rechnung buchen", _KB, "highly_automatable", True, 4, 0.3),
        A("Zahlung anweisen", _KB, "highly_automatable", True, 3, 0.3),
        A("Zahllauf ausführen", "SYS_HKR_ZAHLLAUF", "automated", True),
    ),
    transitions=(
        T(
            START,
            "Rechnung scannen",
            when="Eingangskanal == 'Papier'",
            rule="Eingangskanal == Papier",
        ),
        T(
            START,
            "E-Rechnung einlesen",
            when="Eingangskanal == 'XRechnung'",
            rule="Eingangskanal == XRechnung",
        ),
        T(START, "Rechnungsdaten erfassen"),
        T("Rechnung scannen", "Rechnungsdaten erfassen"),
        T("E-Rechnung einlesen", "Kreditorenstammdaten prüfen"),
        T("Rechnungsdaten erfassen", "Kreditorenstammdaten prüfen"),
        T("Kreditorenstammdaten prüfen", "Sachliche Prüfung"),
        T("Sachliche Prüfung", "Rechnung zurückweisen", 0.03, kind="exception"),
        T("Sachliche Prüfung", "Rückfrage beim Lieferanten", 0.1, kind="rework"),
        T("Sachliche Prüfung", "Rechnerische Prüfung"),
        T("Rückfrage beim Lieferanten", "Sachliche Prüfung", wait="buerger"),
        T("Rechnung zurückweisen", END),
        T("Rechnerische Prüfung", "Freigabe"),
        T("Freigabe", "Zweite Freigabe", when="Betrag > 5000", rule="Betrag > 5000"),
        T("Freigabe", "Rechnung buchen"),
        T("Zweite Freigabe", "Rechnung buchen"),
        T("Rechnung buchen", "Zahlung anweisen"),
        T("Zahlung anweisen", "Zahllauf ausführen"),
        T("Zahllauf ausführen", END),
    ),
    attributes=_rechnung_attributes,
)


# --------------------------------------------------------------------------------------
# Bewohnerparkausweis (residents' parking permit, § 45 Abs. 1b StVO). Flat annual fee with
# a 50 % reduction for holders of a social pass, as some Hessian towns grant.
def _parken_attributes(rng: np.random.Generator, n: int) -> pd.DataFrame:
    letters = np.array(list("ABCDEFGHKLMNPRSTUVWXZ"))
    plate = [
        f"GI-{a}{b} {d}"
        for a, b, d in zip(
            rng.choice(letters, n), rng.choice(letters, n), rng.integers(1, 9999, n), strict=True
        )
    ]
    reduced = rng.random(n) < 0.1
    return pd.DataFrame(
        {
            "Parkzone": rng.choice(["A", "B", "C", "keine"], n, p=[0.3, 0.3, 0.3, 0.1]),
            "Hauptwohnsitz": rng.random(n) < 0.95,
            "Antragsart": rng.choice(["Erstantrag", "Verlängerung"], n, p=[0.4, 0.6]),
            "Kennzeichen": plate,
            "Ermaessigung": reduced,
            "Gebuehr": np.where(reduced, 60.0, 120.0),
        }
    )


_SV = "Straßenverkehrsbehörde"
BEWOHNERPARKEN = ProcessSpec(
    name="bewohnerparken",
    title="Bewohnerparkausweis",
    case_prefix="BP",
    roles=(
        R(_SV, utilisation=0.8),
        R("Stadtkasse", utilisation=0.75),
        R("Poststelle", utilisation=0.7),
        R("batch_druckstrasse", "batch"),
    ),
    activities=(
        A("Antrag erfassen", _SV, "highly_automatable", True, 5, 0.35),
        A("Telefonische Auskunft erteilen", _SV, "cognitive", False, 6, 0.5),
        A("Meldedaten abgleichen", _SV, "highly_automatable", True, 3, 0.3),
        A("Antrag ablehnen", _SV, "highly_automatable", True, 8, 0.35),
        A("Nachweis prüfen", _SV, "low_automatable", True, 4, 0.4),
        A("Nachweis nachfordern", _SV, "highly_automatable", True, 4, 0.3),
        A("Antrag zurückgezogen", _SV, "low_automatable", False, 3, 0.3),
        A("Gebühr berechnen", _SV, "highly_automatable", True, 2, 0.3),
        A("Zahlungseingang prüfen", "Stadtkasse", "highly_automatable", True, 3, 0.4),
        A("Zahlungserinnerung versenden", "Stadtkasse", "highly_automatable", True, 3, 0.3),
        A("Ausweis drucken", "batch_druckstrasse", "automated", True),
        A("Ausweis versenden", "Poststelle", "cognitive", True, 2, 0.3),
    ),
    transitions=(
        T(START, "Antrag erfassen"),
        T("Antrag erfassen", "Telefonische Auskunft erteilen", 0.15),
        T("Antrag erfassen", "Meldedaten abgleichen"),
        T("Telefonische Auskunft erteilen", "Meldedaten abgleichen"),
        T(
            "Meldedaten abgleichen",
            "Antrag ablehnen",
            when="(Parkzone == 'keine') | ~Hauptwohnsitz",
            rule="Parkzone == keine or not Hauptwohnsitz",
        ),
        T("Meldedaten abgleichen", "Nachweis prüfen"),
        T("Antrag ablehnen", END),
        T("Nachweis prüfen", "Nachweis nachfordern", 0.15, kind="rework"),
        T("Nachweis prüfen", "Gebühr berechnen"),
        T("Nachweis nachfordern", "Antrag zurückgezogen", 0.2, kind="exception", wait="buerger"),
        T("Nachweis nachfordern", "Nachweis prüfen", wait="buerger"),
        T("Antrag zurückgezogen", END),
        T("Gebühr berechnen", "Zahlungseingang prüfen", wait="buerger"),
        T("Zahlungseingang prüfen", "Zahlungserinnerung versenden", 0.1, kind="rework"),
        T("Zahlungseingang prüfen", "Ausweis drucken"),
        T("Zahlungserinnerung versenden", "Zahlungseingang prüfen", wait="buerger"),
        T("Ausweis drucken", "Ausweis versenden"),
        T("Ausweis versenden", END),
    ),
    attributes=_parken_attributes,
)

PROCESSES: dict[str, ProcessSpec] = {
    p.name: p for p in (WOHNGELD, GEWERBEANMELDUNG, EINGANGSRECHNUNG, BEWOHNERPARKEN)
}
