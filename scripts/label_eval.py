"""Measure the reading of activity names against labels written before the reader.

Run from the repository root (the package need not be installed)::

    python scripts/label_eval.py                 # the reader of this checkout
    PYTHONPATH=/path/to/old/src python scripts/label_eval.py   # any older reader

Four label sets, none written by the author of the verb-centred reader (issue #15):

* ``contract``: the 100 names of ``tests/test_labels.py`` with their expected class
  (mechanical / judgement / physical, ``mixed``, ``none``), written with the substring
  lexicon before issue #15 (so biased towards that lexicon);
* ``synth``: every step of ``rc.synth`` with the simulator's ground truth (automatable =
  ``automated`` or ``highly_automatable``, against ``cognitive``; ``low_automatable`` left out);
* ``hand``: the hand labels of the real logs, ``data/labels_real.csv`` (docs/labeling.md),
  automatable against not, ``unknown`` left out;
* ``names``: 372 activity names written by others (public BPMN models, Destatis Zeitwerttabellen,
  municipal service pages, public event logs), ``data/labels_names.csv``, with the action class
  and the automation target labelled blind by the helper session of issue #15 item 4 before
  this reader was run on them (docs/labeling.md), split ``dev``/``test`` before measuring;
  ``data/labels_names_second.csv``: the action class of the same names by a second labeller,
  blind to the first labels and to the reader (helper session, 2026-12-02, later session);
* ``fresh``: ``data/labels_names_fresh*.csv``, names collected from sources no earlier set
  used after the reader of the time was frozen, each labelled by two blind labellers; a set
  is held out only until the reader is changed after its measurement (docs/labeling.md).

Reported: accuracy and macro-F1 of the class on ``contract`` (per language), and the AUC of
the label score ``label_mechanical - label_judgement - label_physical - label_communication``
(missing = 0) on ``synth`` and ``hand`` (per log). Both readers are mapped to the contract's
three classes: communication counts as physical, a status record or a name without an
action as ``none``, an even mechanical/judgement split as ``mixed``. On ``names`` the reader's
own class is compared (six classes plus ``mixed`` for an even split, ``none`` without an action),
per language and split: accuracy, macro-F1, the confusion table, and the AUC of the label score
against ``automatable`` (rows with an empty target left out).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, f1_score, roc_auc_score

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "rpa_candidates" / "data"
try:
    import rpa_candidates as rc
except ImportError:  # running from a source checkout without installation
    sys.path.insert(0, str(REPO / "src"))
    import rpa_candidates as rc

from rpa_candidates.features.labels import match_label  # noqa: E402

M, J, P, MIX, NONE = "mechanical", "judgement", "physical", "mixed", "none"
LANG = {"BPI2012": "nl/en codes", "RECEIPT": "en", "SYNTH": "de", "EDGES": "de/en/nl"}


def contract() -> pd.DataFrame:
    """The expectation tables of tests/test_labels.py, read without importing the test."""
    tree = ast.parse((REPO / "tests" / "test_labels.py").read_text(encoding="utf-8"))
    names = {"M": M, "J": J, "P": P, "MIX": MIX, "NONE": NONE}
    rows = []
    for node in tree.body:
        target = getattr(node, "targets", [None])[0] if isinstance(node, ast.Assign) else None
        if target is None and isinstance(node, ast.AnnAssign):
            target = node.target
        if getattr(target, "id", None) in LANG and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                rows.append((target.id, ast.literal_eval(key), names[value.id]))
    return pd.DataFrame(rows, columns=["table", "activity", "expected"])


def three_class(label: str) -> str:
    """The class of ``label`` in the contract's terms, for the old and the new reader."""
    out = match_label(label)
    shares = {k[6:]: v for k, v in out.items() if k.startswith("label_")}
    shares = {k: (0.0 if pd.isna(v) else float(v)) for k, v in shares.items()}
    shares[P] = shares.get(P, 0.0) + shares.pop("communication", 0.0)
    shares.pop("system", None)
    best = max(shares.values())
    if best == 0:
        return NONE
    top = [c for c in (M, J, P) if shares.get(c, 0.0) == best]
    return top[0] if len(top) == 1 else MIX


def score(label: str, default_lang: str = "de") -> float:
    out = match_label(label, default_lang=default_lang)
    get = {k: (0.0 if pd.isna(v) else float(v)) for k, v in out.items() if k.startswith("label_")}
    return get.get("label_mechanical", 0.0) - sum(
        get.get(f"label_{c}", 0.0) for c in ("judgement", "physical", "communication")
    )


def reader_class(label: str, default_lang: str) -> str:
    """The reader's action class of ``label`` in the terms of ``data/labels_names.csv``."""
    out = match_label(label, default_lang=default_lang)
    cls = out.get("action_class")
    if cls in (M, J, P, "communication", "system"):
        return str(cls)
    shares = {k[6:]: v for k, v in out.items() if k.startswith("label_") and not pd.isna(v)}
    if cls == "ambiguous" or (shares and sorted(shares.values())[-2:] == [0.5, 0.5]):
        return MIX
    return max(shares, key=shares.get) if shares and max(shares.values()) > 0 else NONE


def _read(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the reader's class (``read``) and label score (``score``) of every
    name; each language part is read with its ``log_language`` as default, as
    ``classify_labels`` reads one log."""
    try:
        from rpa_candidates.features.semantics import log_language
    except ImportError:  # an older reader
        log_language = None
    for _, part in table.groupby("language"):
        default = log_language(list(part["name"])) if log_language else "de"
        table.loc[part.index, "read"] = [reader_class(n, default) for n in part["name"]]
        table.loc[part.index, "score"] = [score(n, default) for n in part["name"]]
    return table


def names_set() -> pd.DataFrame:
    """data/labels_names.csv with the second labeller's class and the reader's reading."""
    path = DATA / "labels_names.csv"
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    second = pd.read_csv(path.with_name("labels_names_second.csv"), keep_default_na=False)
    if list(second["name"]) != list(table["name"]):
        raise SystemExit("labels_names_second.csv must list the names of labels_names.csv")
    table["second"] = second["action_class"].to_numpy()
    return _read(table)


def fresh_sets() -> dict[str, pd.DataFrame]:
    """data/labels_names_fresh*.csv (each: names collected after the reader of its time was
    frozen, two blind labellers), read by the reader of this checkout, by file stem."""
    out = {}
    for path in sorted(DATA.glob("labels_names_fresh*.csv")):
        table = pd.read_csv(path, keep_default_na=False, dtype=str)
        out[path.stem] = _read(table.assign(split=path.stem.removeprefix("labels_names_")))
    return out


def report_names(table: pd.DataFrame) -> None:
    """Accuracy, macro-F1, confusion and AUC on the names written by others."""
    print("\n## Names written by others (data/labels_names.csv), blind labels\n")
    print("| language | split | n | accuracy | macro-F1 | n (target) | AUC |")
    print("|---|---|---:|---:|---:|---:|---:|")
    groups = [((lang, sp), part) for (lang, sp), part in table.groupby(["language", "split"])]
    groups += [((lang, "all"), part) for lang, part in table.groupby("language")]
    groups += [(("all", sp), part) for sp, part in table.groupby("split")]
    for (lang, sp), part in [*sorted(groups), (("all", "all"), table)]:
        acc = float((part["action_class"] == part["read"]).mean())
        f1 = f1_score(part["action_class"], part["read"], average="macro", zero_division=0)
        scored = part[part["automatable"] != ""]
        y = scored["automatable"].astype(int)
        auc = roc_auc_score(y, scored["score"].astype(float)) if y.nunique() == 2 else np.nan
        print(f"| {lang} | {sp} | {len(part)} | {acc:.3f} | {f1:.3f} | {len(scored)} | {auc:.3f} |")
    print("\nconfusion (rows: label, columns: reader), all names:\n")
    print(pd.crosstab(table["action_class"], table["read"], margins=True).to_string())


def report_agreement(table: pd.DataFrame, title: str) -> None:
    """Agreement of the two blind labellers and the reader's accuracy against each label
    and on the names both labellers class alike (the consensus)."""
    print(f"\n## Two labellers ({title}) and the reader\n")
    print("| language | split | n | labellers agree | Cohen's kappa | reader = first | "
          "reader = second | n (consensus) | reader on consensus |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    groups = [((lang, sp), part) for (lang, sp), part in table.groupby(["language", "split"])]
    groups += [(("all", sp), part) for sp, part in table.groupby("split")]
    for (lang, sp), part in [*sorted(groups), (("all", "all"), table)]:
        first, second, read = part["action_class"], part["second"], part["read"]
        agree = first == second
        kappa = cohen_kappa_score(first, second)
        consensus = float((read[agree] == first[agree]).mean())
        print(f"| {lang} | {sp} | {len(part)} | {agree.mean():.3f} | {kappa:.3f} | "
              f"{(read == first).mean():.3f} | {(read == second).mean():.3f} | "
              f"{int(agree.sum())} | {consensus:.3f} |")  # fmt: skip


def main() -> None:
    table = contract()
    table["read"] = table["activity"].map(three_class)
    print("## Contract (tests/test_labels.py, 3 classes)\n")
    print("| table | language | n | accuracy | macro-F1 |\n|---|---|---|---|---|")
    for name, part in [*table.groupby("table", sort=False), ("all", table)]:
        acc = float((part["expected"] == part["read"]).mean())
        f1 = f1_score(part["expected"], part["read"], average="macro", zero_division=0)
        print(f"| {name} | {LANG.get(name, 'all')} | {len(part)} | {acc:.3f} | {f1:.3f} |")
    hits = (table["expected"] == table["read"]).groupby(table["expected"]).mean()
    print("\nper class accuracy (recall):", hits.round(3).to_dict())
    truth = pd.concat(rc.synth.simulate(p, n_cases=5, seed=0).truth for p in rc.synth.PROCESSES)
    truth = truth.drop_duplicates("activity")
    truth = truth[truth["label_class"] != "low_automatable"]
    auc = roc_auc_score(truth["automatable"], truth["activity"].map(score))
    print(f"\n## rc.synth truth: AUC of the label score {auc:.3f} ({len(truth)} steps)\n")
    hand = pd.read_csv(REPO / "src" / "rpa_candidates" / "data" / "labels_real.csv")
    hand = hand[hand["label"] != "unknown"].drop_duplicates("activity")
    hand["y"] = hand["label"].isin(["automated", "highly_automatable"])
    hand["score"] = hand["activity"].map(score)
    print("## Hand labels of the real logs (labels_real.csv): AUC of the label score\n")
    print("| log | n | automatable | AUC |\n|---|---|---|---|")
    for log, part in [*hand.groupby("log"), ("all", hand)]:
        value = roc_auc_score(part["y"], part["score"]) if part["y"].nunique() == 2 else np.nan
        print(f"| {log} | {len(part)} | {int(part['y'].sum())} | {value:.3f} |")
    names = names_set()
    report_names(names)
    report_agreement(names, "labels_names.csv, labels_names_second.csv")
    for stem, fresh in fresh_sets().items():
        report_agreement(fresh, f"{stem}.csv")
        print(f"\nconfusion (rows: first label, columns: reader), {stem}:\n")
        print(pd.crosstab(fresh["action_class"], fresh["read"], margins=True).to_string())


if __name__ == "__main__":
    main()
