"""Rewriting an entry whose terms did not change (every entry, on ``search_reindex``) leaves the
full-text index alone: no FTS5 delete and re-insert on SQLite, no new vector on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF title_terms, body_terms
    ON search_searchentry
    WHEN old.title_terms IS NOT new.title_terms OR old.body_terms IS NOT new.body_terms
    BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF title_terms, body_terms
    ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
]
POSTGRES_FORWARD = [
    "DROP TRIGGER IF EXISTS search_entry_vector_trg ON search_searchentry",
    """CREATE TRIGGER search_entry_vector_insert_trg
    BEFORE INSERT ON search_searchentry
    FOR EACH ROW EXECUTE FUNCTION search_entry_vector()""",
    """CREATE TRIGGER search_entry_vector_update_trg
    BEFORE UPDATE OF title_terms, body_terms ON search_searchentry
    FOR EACH ROW
    WHEN (OLD.title_terms IS DISTINCT FROM NEW.title_terms
          OR OLD.body_terms IS DISTINCT FROM NEW.body_terms)
    EXECUTE FUNCTION search_entry_vector()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_vector_update_trg ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_entry_vector_insert_trg ON search_searchentry",
    """CREATE TRIGGER search_entry_vector_trg
    BEFORE INSERT OR UPDATE OF title_terms, body_terms ON search_searchentry
    FOR EACH ROW EXECUTE FUNCTION search_entry_vector()""",
]


def _run(sqlite, postgres):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_stored_vector"),
    ]

    operations = [
        migrations.RunPython(
            _run(SQLITE_FORWARD, POSTGRES_FORWARD), _run(SQLITE_BACKWARD, POSTGRES_BACKWARD)
        ),
    ]
