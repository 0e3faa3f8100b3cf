"""
Search covers bylines, sections and tags, and ignores accents on both databases.

- `Article.search_names`: the byline, section and tag names of each story, kept
  by articles.search.search_names_refresh() (called from articles/receivers.py)
  and filled here for existing stories.
- SQLite: the FTS5 table gains a `search_names` column. Its tokenizer already
  folds accents (`unicode61 remove_diacritics 2`), so `Tomas` finds `Tomás`
  and the other way round. Adding the column rebuilds articles_article, which
  drops the triggers of migration 0002: they are re-created here with it.
- PostgreSQL: the `unaccent` extension and a text search configuration,
  `newsroom_english`: English stemming after unaccent for words with
  non-ASCII letters (plain ASCII words have no accents to fold). The GIN
  index is rebuilt on the new weighted vector, as articles.search queries it.

The SQL is frozen here, as in 0002: search.py's search_index_rebuild() runs
this module's SQLITE_CREATE, so a later schema change must update both.
"""

from itertools import batched

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

FTS_TABLE = "articles_article_fts"
SEARCH_CONFIG = "newsroom_english"
COLUMNS = "headline, standfirst, body_text, search_names"
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
SQLITE_CREATE = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        {COLUMNS},
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {COLUMNS})
        VALUES (new.id, new.headline, new.standfirst, new.body_text, new.search_names);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text, old.search_names);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
    AFTER UPDATE OF headline, standfirst, body_text, search_names ON articles_article BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text, old.search_names);
        INSERT INTO {FTS_TABLE}(rowid, {COLUMNS})
        VALUES (new.id, new.headline, new.standfirst, new.body_text, new.search_names);
    END
    """,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]

POSTGRESQL_CONFIG_CREATE = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{SEARCH_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    END IF;
END $$
"""
POSTGRESQL_CONFIG_DROP = f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {SEARCH_CONFIG}"

OLD_POSTGRESQL_INDEX = GinIndex(
    SearchVector("headline", weight="A", config="english")
    + SearchVector("standfirst", weight="B", config="english")
    + SearchVector("body_text", weight="C", config="english"),
    name="articles_article_search_gin",
)
POSTGRESQL_INDEX = GinIndex(
    SearchVector("headline", weight="A", config=SEARCH_CONFIG)
    + SearchVector("search_names", weight="A", config=SEARCH_CONFIG)
    + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
    + SearchVector("body_text", weight="C", config=SEARCH_CONFIG),
    name="articles_article_search_names_gin",
)


def search_names_fill(apps, schema_editor):
    """The same text as articles.search.search_names_refresh(), for existing stories."""
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    Tags = Article.tags.through
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in batched(ids.iterator(chunk_size=1000), 1000):
        names = {
            pk: [section]
            for pk, section in Article.objects.filter(pk__in=chunk).values_list(
                "pk", "section__name"
            )
        }
        for pk, author in (
            Byline.objects.filter(article_id__in=chunk)
            .order_by("order", "pk")
            .values_list("article_id", "author__name")
        ):
            names[pk].append(author)
        for pk, tag in (
            Tags.objects.filter(article_id__in=chunk)
            .order_by("tag__name")
            .values_list("article_id", "tag__name")
        ):
            names[pk].append(tag)
        Article.objects.bulk_update(
            [Article(pk=pk, search_names=" ".join(words)) for pk, words in names.items()],
            ["search_names"],
        )


def search_index_forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    Article = apps.get_model("articles", "Article")
    if vendor == "sqlite":
        for statement in SQLITE_DROP + SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CONFIG_CREATE)
        schema_editor.remove_index(Article, OLD_POSTGRESQL_INDEX)
        schema_editor.add_index(Article, POSTGRESQL_INDEX)
    search_names_fill(apps, schema_editor)


def search_index_backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    Article = apps.get_model("articles", "Article")
    if vendor == "postgresql":
        schema_editor.remove_index(Article, POSTGRESQL_INDEX)
        schema_editor.add_index(Article, OLD_POSTGRESQL_INDEX)
        schema_editor.execute(POSTGRESQL_CONFIG_DROP)
    elif vendor == "sqlite":
        # Removing the column next rebuilds the table (dropping triggers), so
        # 0002's index cannot be restored here: migrate forwards again to search.
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_hourly_view_counts")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_names",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The byline, section and tag names, for search "
                "(articles.search keeps it).",
            ),
        ),
        UnaccentExtension(),
        migrations.RunPython(search_index_forwards, search_index_backwards, elidable=False),
    ]
