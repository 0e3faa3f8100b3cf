"""Kept for callers not yet moved to `newsroom.pagecache` (its `purge(tags)`)."""

from newsroom.pagecache import page_cache_clear

__all__ = ["page_cache_clear"]
