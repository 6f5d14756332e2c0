"""Measure the document ingestion engine against hand-checked expectations.

    python scripts/ingest_eval.py DOCS_DIR EXPECTED.json

EXPECTED.json lists documents by file name. A plan document expects items,
each with a `code` and either the item `text` or `text_sha256`, the SHA-256 of
the normalised text (so expectations for outside documents can be kept in the
repository without their text). A profile document expects `fields`, dotted
paths into DraftProfile such as "creation.number", and `fields_sha256` for long texts
(mission, vision, object), hashed the same way. For plans the script prints
recall and precision by code and by code plus normalised text; a document may list
the `shapes` of issue 20 it shows (1 prefixed headings, 2 tables of contents, 3 flat
axes, 4 Roman blocks and restarted codes, 5 glued words, 6 profiles from laws and
histories). The script ends with the figures over all documents (items added up) and
by shape.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transversal.planning.ingest import (  # noqa: E402 - path set just above
    IngestError,
    extract_text,
    iter_items,
    parse_plan,
    parse_profile,
)
from transversal.planning.ingest.text import fold, squash  # noqa: E402


def normalise(text: str) -> str:
    """Compare texts without case, accents, spacing or final punctuation."""
    return squash(fold(text)).rstrip(" .;:,")


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


@dataclass
class Score:
    expected: int
    found: int
    matched: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.expected else 0.0)


def score_plan(text: str, footnotes: dict[str, str], expected: list[dict]) -> tuple[Score, Score]:
    found = list(iter_items(parse_plan(text, footnotes).items))
    found_codes = {item.code for item in found}
    found_pairs = {(item.code, text_hash(item.text)) for item in found}
    wanted_pairs = {(item["code"], _expected_hash(item)) for item in expected}
    by_code = Score(len(expected), len(found), len({e["code"] for e in expected} & found_codes))
    by_text = Score(len(expected), len(found), len(wanted_pairs & found_pairs))
    return by_code, by_text


def _expected_hash(item: dict) -> str:
    return item["text_sha256"] if "text_sha256" in item else text_hash(item["text"])


def score_profile(
    text: str, fields: dict[str, str], hashed: dict[str, str] | None = None
) -> tuple[int, int, list[str]]:
    """Fields given as text, and long ones (a mission, an object) as the hash of their
    normalised text so that the document's sentences stay out of the repository."""
    profile = parse_profile(text)
    misses = []
    for path, wanted in fields.items():
        got = _field(profile, path)
        if normalise(got) != normalise(wanted):
            misses.append(f"{path}: esperado {wanted!r}, obtenido {got!r}")
    for path, wanted_hash in (hashed or {}).items():
        got = _field(profile, path)
        if text_hash(got) != wanted_hash:
            misses.append(f"{path}: texto distinto del esperado, obtenido {got[:80]!r}")
    total = len(fields) + len(hashed or {})
    return total - len(misses), total, misses


def _field(obj: object, path: str) -> str:
    for part in path.split("."):
        if isinstance(obj, list | tuple):
            obj = obj[int(part)] if int(part) < len(obj) else None
        else:
            obj = getattr(obj, part, None)
        if obj is None:
            return ""
    return obj.isoformat() if isinstance(obj, datetime.date) else str(obj)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs_dir", type=Path)
    parser.add_argument("expected", type=Path)
    args = parser.parse_args(argv)
    spec = json.loads(args.expected.read_text(encoding="utf-8"))
    totals = Totals()
    for document in spec["documents"]:
        _report(args.docs_dir, document, totals)
    totals.print()
    return 0


@dataclass
class Totals:
    """Items and fields added up over every document, and by shape."""

    plans: dict[str, list[int]] = field(default_factory=dict)  # key -> [expected, found, matched]
    fields_ok: int = 0
    fields_total: int = 0
    missing: list[str] = field(default_factory=list)

    def add_plan(self, shapes: list[int], score: Score) -> None:
        for key in ["todos", *(f"forma {shape}" for shape in shapes)]:
            row = self.plans.setdefault(key, [0, 0, 0])
            row[0] += score.expected
            row[1] += score.found
            row[2] += score.matched

    def print(self) -> None:
        print("\nTotal (elementos sumados de todos los documentos, por código y texto):")
        for key, (expected, found, matched) in sorted(self.plans.items()):
            score = Score(expected, found, matched)
            print(
                f"  {key:8} esperados {expected:4}  encontrados {found:4}  "
                f"recall {score.recall:.1%}  precisión {score.precision:.1%}"
            )
        if self.fields_total:
            print(f"  perfiles: campos correctos {self.fields_ok}/{self.fields_total}")
        for name in self.missing:
            print(f"  falta el archivo {name}")


def _report(docs_dir: Path, document: dict, totals: Totals) -> None:
    path = docs_dir / document["file"]
    print(f"\n{document['file']}  ({document.get('source', 'sin fuente')})")
    if not path.exists():
        print("  falta el archivo")
        totals.missing.append(document["file"])
        return
    try:
        extracted = extract_text(path.read_bytes(), path.name)
    except IngestError as error:
        print(f"  error de lectura [{error.code}]: {error.message}")
        return
    if "fields" in document or "fields_sha256" in document:
        ok, total, misses = score_profile(
            extracted.text, document.get("fields", {}), document.get("fields_sha256")
        )
        totals.fields_ok += ok
        totals.fields_total += total
        print(f"  campos del perfil correctos: {ok}/{total}")
        for miss in misses:
            print(f"    - {miss}")
        return
    by_code, by_text = score_plan(extracted.text, extracted.footnotes, document["items"])
    totals.add_plan(document.get("shapes", []), by_text)
    print(f"  esperados {by_code.expected}, encontrados {by_code.found}")
    print(f"  por código:         recall {by_code.recall:.1%}  precisión {by_code.precision:.1%}")
    print(f"  por código y texto: recall {by_text.recall:.1%}  precisión {by_text.precision:.1%}")


if __name__ == "__main__":
    raise SystemExit(main())
