"""Fill empty English msgstr entries from a Python dict file: `python scripts/fill_translations.py DICT.py`.

A helper for translators working in bulk; the catalogue itself is the source of truth.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "transversal/locale/en/LC_MESSAGES/django.po"

translations = runpy.run_path(sys.argv[1])["T"]
with PO.open("rb") as f:
    catalog = read_po(f, locale="en")
# makemessages writes a template header; give it the language and its plural rule.
catalog.locale = "en"
catalog.project, catalog.version = "Transversal", "1"
catalog.language_team = catalog.last_translator = "Transversal <no-responder@localhost>"
missing = []
for message in catalog:
    if message.id and message.fuzzy:
        # makemessages' guesses are often wrong: a fuzzy entry counts as untranslated.
        message.string = ""
        message.flags.discard("fuzzy")
    if message.id and not message.string:
        if message.id in translations:
            message.string = translations[message.id]
            message.flags.discard("fuzzy")
        else:
            missing.append(message.id)
with PO.open("wb") as f:
    write_po(f, catalog, width=100, omit_header=False)
print(f"still untranslated: {len(missing)}")
for m in missing:
    print("  ", repr(m))
