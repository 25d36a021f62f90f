# On SQLite the full-text table keeps, per word, which entries and which columns hold it, not the word's
# positions (detail=column), and no per-entry column sizes (columnsize=0): searches use neither (no phrase or
# NEAR queries, no bm25), and writing them made each index entry cost about twice as much, more as the index
# grew (bench/media_ingest.py). The table is built again from the entries.

from django.db import migrations

OPTIONS = "content='core_search_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 0'"
NEW = f"{OPTIONS}, detail=column, columnsize=0"


def _recreate(options):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor.execute("DROP TABLE IF EXISTS core_search_fts")
        schema_editor.execute(f"CREATE VIRTUAL TABLE core_search_fts USING fts5(title_tokens, body, keys, {options})")
        schema_editor.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('rebuild')")

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_search_entry_object_index"),
    ]

    operations = [migrations.RunPython(_recreate(NEW), _recreate(OPTIONS))]
