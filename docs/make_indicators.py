"""Write docs/indicators.md from rpa_candidates.features.CATALOG.

Run from the repository root: ``python docs/make_indicators.py``.
"""

from pathlib import Path

from rpa_candidates.features._registry import catalog_markdown

if __name__ == "__main__":
    target = Path(__file__).with_name("indicators.md")
    target.write_text(catalog_markdown() + "\n", encoding="utf-8")
    print(f"written: {target}")
