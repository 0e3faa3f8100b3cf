"""
PostgreSQL: the weighted search vector becomes a stored column with its own GIN
index, in place of 0011's index on the same expression (SQLite keeps its FTS5
index; nothing changes there).

Why: a word in half the archive ("council" in the bulk data) matched 52,000
of 100,000 stories through the expression index, and every match was joined
and sorted to keep the newest 1,000 (350 ms). With the vector stored, the
planner can instead walk the keyset index from the newest story and test
each row's vector (1,000 matches in about 2,000 rows, 2 ms), and still takes
the GIN index for a rare word: it has the column's statistics to choose by.
The column is not a model field: only articles/search.py reads it.
Adding it rewrites the story table (about 25 s per 100,000 stories on a busy
2-core machine).
"""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "articles_article_search_vector_gin"
OLD_INDEX = "articles_article_search_names_gin"
CONFIG = "'newsroom_english'::regconfig"
VECTOR = (
    f"setweight(to_tsvector({CONFIG}, COALESCE(headline, '')), 'A') || "
    f"setweight(to_tsvector({CONFIG}, COALESCE(search_names, '')), 'A') || "
    f"setweight(to_tsvector({CONFIG}, COALESCE(standfirst, '')), 'B') || "
    f"setweight(to_tsvector({CONFIG}, COALESCE(body_text, '')), 'C')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD COLUMN {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON articles_article USING gin ({COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    # Statistics on the new column now, so the planner can tell a common word
    # from a rare one before autovacuum gets to it.
    schema_editor.execute("ANALYZE articles_article")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX {OLD_INDEX} ON articles_article USING gin (({VECTOR}))")
    schema_editor.execute(f"ALTER TABLE articles_article DROP COLUMN {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_picture_crops")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
