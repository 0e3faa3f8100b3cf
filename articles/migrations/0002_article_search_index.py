"""
Full-text search index for stories, one per database backend (see articles/search.py).

SQLite: an FTS5 table over headline, standfirst and body text, with the article
table as its external content. Triggers keep it in step with every INSERT,
UPDATE and DELETE, including bulk inserts and raw updates; a view-count update
does not touch the searched columns, so it does not touch the index.

Caution for later migrations: when Django's SQLite schema editor has to rebuild
articles_article (to alter a column, say), the rebuilt table has no triggers.
tests/articles/test_search.py checks they exist after all migrations, and
articles.search.search_index_rebuild() re-creates them and refills the index.

PostgreSQL: a GIN index on the same weighted tsvector expression that
search.py queries, so PostgreSQL can use it. It is built with Django's own
expression so its SQL matches the query's exactly.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FTS_TABLE = "articles_article_fts"
SQLITE_CREATE = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        headline, standfirst, body_text,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}(rowid, headline, standfirst, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.body_text);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, standfirst, body_text)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
    AFTER UPDATE OF headline, standfirst, body_text ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, headline, standfirst, body_text)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text);
        INSERT INTO {FTS_TABLE}(rowid, headline, standfirst, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.body_text);
    END
    """,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

POSTGRESQL_INDEX = GinIndex(
    SearchVector("headline", weight="A", config="english")
    + SearchVector("standfirst", weight="B", config="english")
    + SearchVector("body_text", weight="C", config="english"),
    name="articles_article_search_gin",
)


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), POSTGRESQL_INDEX)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), POSTGRESQL_INDEX)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_article")]

    operations = [migrations.RunPython(create_search_index, drop_search_index, elidable=False)]
