"""
What follows a change to the terms of use: the cached version in force
(`TermsOfUse.objects.current_cached()`, read by every page) is forgotten, and
the cached pages that show it are purged. Connected by importing this module
in `AccountsConfig.ready()`.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import CURRENT_TERMS_CACHE_KEY, TermsOfUse
from newsroom.pagecache import purge


@receiver(post_save, sender=TermsOfUse, dispatch_uid="accounts_terms_saved")
@receiver(post_delete, sender=TermsOfUse, dispatch_uid="accounts_terms_deleted")
def current_terms_forget(**kwargs) -> None:
    # Every page carries the version in force (the terms dialog's slot).
    purge(["terms", "site"])
    cache.delete(CURRENT_TERMS_CACHE_KEY)
    # A request that refilled the entry before this transaction committed
    # would have read the old rows; forget it again once they are visible.
    transaction.on_commit(lambda: cache.delete(CURRENT_TERMS_CACHE_KEY))
