"""No English from the code in the Spanish pages, no Spanish from the code in the English ones.

Every page pattern of the URLconf (one object each, from the isolation crawler's world) is read
by a visitor, a state's editor and the national coordination, in both languages (the language
cookie the site's switch sets). The phrases come from the English catalogue: in the English UI a
msgid (Spanish) of three or more words found verbatim in the visible text, while its English
translation differs, is a leak; in the Spanish UI so is an English msgstr of three or more words.

Not counted: text inside an element marked with another language (the site marks user data and
the API schema's Spanish texts with ``lang``), scripts and styles, and phrases that also occur in
the database (the world's own names and texts: user data and open-data identifiers).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.core import serializers
from django.test import Client, override_settings

from transversal.core.tests.isolation_world import build_world
from transversal.site.tests.page_crawl import pages, personas

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
MIN_WORDS = 3
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr", "param"}
SKIPPED_TAGS = {"script", "style", "template", "noscript"}
SPOKEN_ATTRS = ("aria-label", "title", "alt", "placeholder")
PIECES = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{[^}]*\}|<[^>]+>|&\w+;")

# Leaks known and not fixed yet, as (route, language, phrase): the test asserts each is still
# found, so the list only shrinks.
KNOWN: set[tuple[str, str, str]] = set()


class VisibleText(HTMLParser):
    """The text a person reads or hears, outside elements marked with another language."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []
        self.in_json = False

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        other = bool(lang) and not lang.startswith(self.language)
        hidden = self.hidden or tag in SKIPPED_TAGS or other
        # A chart's data and labels travel as JSON (json_script): its strings are read too.
        self.in_json = tag == "script" and attrs.get("type") == "application/json" and not other
        if not hidden:
            self.chunks.extend(attrs[a] for a in SPOKEN_ATTRS if attrs.get(a))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        self.in_json = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.in_json:
            self.chunks.extend(json_strings(data))
        elif not self.hidden:
            self.chunks.append(data)


def json_strings(data: str) -> list[str]:
    try:
        value = json.loads(data)
    except ValueError:
        return []
    found, pending = [], [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def visible_text(html: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


def phrases(text: str) -> list[str]:
    """The literal runs of three or more words of a catalogue text (placeholders cut it)."""
    runs = (" ".join(piece.split()) for piece in PIECES.split(text))
    return [run for run in runs if len(run.split()) >= MIN_WORDS]


def catalogue_phrases() -> tuple[set[str], set[str]]:
    """(Spanish phrases that must not show in English, English ones that must not in Spanish)."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    spanish, english = set(), set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strs = message.string if isinstance(message.string, tuple | list) else (message.string,)
        translated = [s for s in strs if s] if not message.fuzzy else []
        for msgid in ids:
            if msgid not in translated:
                spanish.update(phrases(msgid))
        for msgstr in translated:
            if msgstr not in ids:
                english.update(phrases(msgstr))
    # A phrase both languages write the same way ("Plan Estatal…" as a name) is no leak.
    return spanish - english, english - spanish


def database_text() -> str:
    rows = []
    for model in apps.get_models():
        rows.append(
            json.dumps(
                json.loads(serializers.serialize("json", model._default_manager.all())),
                ensure_ascii=False,
            )
        )
    return " ".join(" ".join(rows).split())


def find_leaks() -> tuple[set[tuple[str, str, str]], int]:
    world = build_world()
    spanish, english = catalogue_phrases()
    data = database_text()
    spanish = {p for p in spanish if p not in data}
    english = {p for p in english if p not in data}
    leaks: set[tuple[str, str, str]] = set()
    read = 0
    for persona in personas(world):
        for language, forbidden in (("es", english), ("en", spanish)):
            client = Client(raise_request_exception=False)
            if persona.user is not None:
                client.force_login(
                    persona.user, backend="django.contrib.auth.backends.ModelBackend"
                )
            if language == "en":
                client.cookies["django_language"] = "en"
            for page in pages(world):
                response = client.get(page.url)
                if "text/html" not in response.get("Content-Type", "") or response.streaming:
                    continue
                read += 1
                text = visible_text(response.content.decode("utf-8", "ignore"), language)
                leaks.update((page.route, language, p) for p in forbidden if p in text)
    return leaks, read


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    overrides = {
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "REPORTS_RUN_INLINE": False,
    }
    with django_db_blocker.unblock(), override_settings(**overrides), transaction.atomic():
        outcome = find_leaks()
        transaction.set_rollback(True)
    return outcome


def test_the_visible_text_skips_scripts_and_elements_marked_with_another_language():
    html = (
        '<p>Uno dos tres <span lang="en">one two three</span><br><img alt="Foto del acta">'
        "<script>var x = 'quatro cinco seis'</script>"
        '<script type="application/json">{"title": "Serie por año"}</script></p>'
    )
    assert visible_text(html, "es") == "Uno dos tres Foto del acta Serie por año"
    assert visible_text(html, "en") == "Uno dos tres one two three Foto del acta Serie por año"


def test_a_catalogue_text_gives_its_runs_of_three_words_between_placeholders():
    text = "Se guardaron %(count)s valores <strong>del archivo</strong> de la entidad"
    assert phrases(text) == ["de la entidad"]


def test_the_crawl_reads_html_pages_in_both_languages(crawl):
    _leaks, read = crawl
    assert read >= 300, read


def test_no_page_shows_code_text_in_the_other_language(crawl):
    leaks, _read = crawl
    new = sorted(leaks - KNOWN)
    assert not new, "\n".join(f"{route} [{lang}]: «{phrase}»" for route, lang, phrase in new)


def test_the_known_leaks_are_still_there(crawl):
    leaks, _read = crawl
    assert KNOWN <= leaks, sorted(KNOWN - leaks)
