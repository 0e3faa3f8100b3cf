"""
Two requests that race for the same unique row end in a form error, never a 500.

A form checks a unique rule (a story's slug on its day, a section's name, an
account's address) before it saves. Two requests can both pass that check
before either saves; the database's constraint then refuses the second insert
with `IntegrityError`. On PostgreSQL this happens to admin saves; on SQLite
the site's IMMEDIATE transactions serialise the admin's whole POST (its
transaction covers the validation), but not forms that validate before they
open a transaction, such as sign-up.

Where a form is involved, the fix is the same everywhere: catch the
`IntegrityError` where the transaction that raised it has ended, then let the
form validate again. It now sees the winner's row and reports the conflict in
its normal words. Outside the admin each place does this in its own terms
(sign-up: `accounts.forms.SignupForm.try_save`; confirming an address:
`accounts.adapter.AccountAdapter.confirm_email`; the saved cart:
`get_or_create` in `cart.services`).

An admin list action changes many rows with no form to validate again: each
row is changed in its own atomic block (`atomic_or_race_lost`), so a row that
loses a race is named in the action's message and the others keep their
change (the story list's actions: articles/admin_actions.py).
"""

from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

RACE_LOST_MESSAGE = (
    "Someone saved a conflicting change at the same moment, so yours was not saved. "
    "Please check the form and save again."
)

#: Why an admin action left a row unchanged when it lost such a race.
ACTION_RACE_LOST_REASON = (
    "Someone saved a conflicting change at the same moment (for a story: another "
    "story took its slug on that day), so it was left as it was."
)


def atomic_or_race_lost(change: Callable[[], object]) -> str | None:
    """Run `change()` in its own atomic block (a savepoint inside a transaction).

    Returns None when it committed, or `ACTION_RACE_LOST_REASON` when the
    database refused it with `IntegrityError`: only that block is rolled back,
    so a bulk action's other rows keep their changes, and the caller names
    the row in its message instead of answering 500.
    """
    try:
        with transaction.atomic():
            change()
    except IntegrityError:
        return ACTION_RACE_LOST_REASON
    return None


class UniqueRaceAdminMixin:
    """
    For a `ModelAdmin` (put it first among the bases): a save that loses a
    race for a unique constraint shows the change form again with the
    constraint's error, as if the other save had come first.

    Django's `changeform_view` runs in one transaction, so the losing save
    leaves nothing behind; the view is then run once more with the same POST
    (uploaded files rewound), and the form's own validation finds the winner's
    row. If even that save is refused (a constraint the form does not
    validate), the editor is sent back to the form with a message.
    """

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        for upload in request.FILES.values():
            upload.seek(0)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            messages.error(request, RACE_LOST_MESSAGE)
            return HttpResponseRedirect(request.get_full_path())
