# On SQLite a whole-database ANALYZE run while the full-text table was new (registry/0009 runs one) recorded its
# shadow table core_search_fts_data as holding 2 rows. With that statistic the planner answers FTS5's own
# "DELETE FROM core_search_fts_data WHERE id>=? AND id<=?" (run after every segment merge) with a scan of the whole
# table instead of a rowid range, so each merge read the entire index: writing search entries cost more the
# bigger the index was (bench/media_ingest.py: 0.07 ms per entry at 24,000 entries, 2.4 ms at 144,000). Without
# statistics the planner takes the rowid range. The shadow tables' statistics are removed; the index is
# untouched.

from django.db import migrations


def forget(apps, schema_editor):
    from wenzhi.core.search.backends import forget_fts_statistics

    forget_fts_statistics(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_search_fts_detail_column"),
        ("registry", "0009_list_indexes_over_live_rows"),  # after its whole-database ANALYZE
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
