# On SQLite a whole-database ANALYZE run while the full-text table was new (registry/0009 runs one) recorded its
# shadow table core_search_fts_data as holding 2 rows. With that statistic the planner answers FTS5's own
# "DELETE FROM core_search_fts_data WHERE id>=? AND id<=?" (run after every segment merge) with a scan of the whole
# table instead of a rowid range, so each merge read the entire index: writing search entries cost more the
# bigger the index was (bench/media_ingest.py: 0.07 ms per entry at 24,000 entries, 2.4 ms at 144,000). Without
# statistics the planner takes the rowid range. The shadow tables' statistics are removed; the index is
# untouched.

from django.db import migrations

FORGET = "DELETE FROM sqlite_stat1 WHERE tbl LIKE 'core\\_search\\_fts\\_%' ESCAPE '\\'"


def forget(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute(FORGET)
            # Connections opened from now on plan without them (an open one keeps the estimate it has loaded).
            cursor.execute("ANALYZE sqlite_schema")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_search_fts_detail_column"),
        ("registry", "0009_list_indexes_over_live_rows"),  # after its whole-database ANALYZE
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
