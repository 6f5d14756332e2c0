"""PostgreSQL: the weighted search vector stored by a trigger and indexed, instead of an index
over an expression that every match and every rank had to compute again from the text."""

import django.contrib.postgres.search
from django.db import migrations

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_entry_vector_idx",
    """CREATE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector := setweight(to_tsvector('simple', coalesce(NEW.title_terms, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.body_terms, '')), 'B');
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_entry_vector_trg
    BEFORE INSERT OR UPDATE OF title_terms, body_terms ON search_searchentry
    FOR EACH ROW EXECUTE FUNCTION search_entry_vector()""",
    "UPDATE search_searchentry SET title_terms = title_terms",
    "CREATE INDEX search_entry_vector_idx ON search_searchentry USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector_idx",
    "DROP TRIGGER IF EXISTS search_entry_vector_trg ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_entry_vector()",
    """CREATE INDEX search_entry_vector_idx ON search_searchentry USING gin ((
        to_tsvector('simple'::regconfig,
            COALESCE(title_terms, '') || ' ' || COALESCE(body_terms, ''))))""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
