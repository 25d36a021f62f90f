# Every word of the full-text index once, on PostgreSQL: a prefix term of a query (the last word, still being
# typed) is spelt out as the indexed words starting with it, which GIN answers by skipping through posting
# lists where a prefix term made it collect every entry holding any such word. A trigger adds the words of each
# entry written (the search backend's bulk load disables it and fills the list once); words of deleted entries
# stay, which only spells out a word that matches nothing. Byte order ("C") so that a prefix is a key range.

from django.db import migrations

POSTGRES = [
    'CREATE TABLE core_search_word (word text COLLATE "C" PRIMARY KEY)',
    "CREATE FUNCTION core_search_word_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO core_search_word (word) SELECT unnest(tsvector_to_array(NEW.document)) ON CONFLICT DO NOTHING; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER core_search_entry_words AFTER INSERT OR UPDATE OF title_tokens, body, keys "
    "ON core_search_entry FOR EACH ROW EXECUTE FUNCTION core_search_word_add()",
    "INSERT INTO core_search_word (word) SELECT DISTINCT unnest(tsvector_to_array(document)) FROM core_search_entry "
    "ON CONFLICT DO NOTHING",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS core_search_entry_words ON core_search_entry",
                 "DROP FUNCTION IF EXISTS core_search_word_add()", "DROP TABLE IF EXISTS core_search_word"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_search_entry"),
    ]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_DROP))]
