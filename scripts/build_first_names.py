"""Build pipeline/data/first_names.tsv, the first-name gender table actor resolution reads ("she" is not Donald Trump).

    pip install nomquamgender && python scripts/build_first_names.py

From the name data of nomquamgender (MIT licence; Van Buskirk et al.): the names with at least 3 sources and 100
observations whose probability of being gendered female is at most 0.1 ("m") or at least 0.9 ("f"), and the common
names of either sex ("u": Lee, Jordan, Taylor; at least 10,000 observations, so that family names some records give
as first names, such as Garcia or Pena, are not among them). The full data is 720k names and takes seconds and half
a gigabyte to load; the table keeps the names it can decide.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "first_names.tsv"
MIN_SOURCES, MIN_COUNTS, THRESHOLD = 3, 100, 0.1
MIN_COUNTS_EITHER = 100_000  # a name of either sex must be common: "Lee", not "Garcia", "Cruz" or "Vega"


def main() -> None:
    data = json.loads((importlib.resources.files("nomquamgender") / "name_data.json").read_text(encoding="utf-8"))
    rows = []
    for name, (sources, counts, p_female, *_) in sorted(data.items()):
        if sources < MIN_SOURCES or counts < MIN_COUNTS or "\t" in name or not name.isalpha():
            continue
        if p_female <= THRESHOLD:
            rows.append(f"{name}\tm")
        elif p_female >= 1 - THRESHOLD:
            rows.append(f"{name}\tf")
        elif counts >= MIN_COUNTS_EITHER:
            rows.append(f"{name}\tu")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} names to {OUT}")


if __name__ == "__main__":
    main()
