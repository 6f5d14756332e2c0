"""Query counts side by side across bench result files: a page whose count changes with
the dataset's size runs queries per row.   python -m transversal.bench.compare FILE.json…"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(documents: list[dict]) -> str:
    labels = [d["environment"]["label"] or d["environment"]["database"] for d in documents]
    names = list(dict.fromkeys(row["name"] for d in documents for row in d["scenarios"]))
    titles = {row["name"]: row["title"] for d in documents for row in d["scenarios"]}
    lines = [
        "### Consultas por escenario",
        "",
        "| escenario | " + " | ".join(labels) + " | ¿constante? |",
        "|---|" + "---:|" * len(labels) + "---|",
    ]
    for name in names:
        counts = []
        for document in documents:
            row = next((r for r in document["scenarios"] if r["name"] == name), {})
            counts.append(row.get("queries"))
        by_db: dict[str, set] = {}
        for document, count in zip(documents, counts, strict=True):
            if count is not None:
                by_db.setdefault(document["environment"]["database"], set()).add(count)
        constant = (
            "—" if not by_db else ("sí" if all(len(c) == 1 for c in by_db.values()) else "NO")
        )
        cells = " | ".join("—" if c is None else str(c) for c in counts)
        lines.append(f"| {titles[name]} | {cells} | {constant} |")
    return "\n".join(lines) + "\n"


def main(paths: list[str]) -> None:
    print(table([json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]))


if __name__ == "__main__":
    main(sys.argv[1:])
