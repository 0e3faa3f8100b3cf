"""
The one UserFactory every app's tests use.

A reader by default (no staff access, the password `PASSWORD`). Traits:
`staff=True` (may open the admin), `writer=True` and `editor=True` (staff in
that role's group, newsroom/roles.py), `superuser=True`. `groups=[...]` puts
the account in any groups by name.
"""

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory, Password

from newsroom.roles import EDITOR, WRITER, roles_ensure

PASSWORD = "correct-horse-battery-staple"


def groups_add(user, names) -> None:
    roles_ensure()  # a transactional test before this one may have flushed them
    user.groups.add(*Group.objects.filter(name__in=names))


def in_role(name: str):
    """A post-generation step that puts the new account in the group `name`."""

    def add(user, create, extracted, **kwargs):
        if create:
            groups_add(user, [name])

    return add


class UserFactory(DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    class Params:
        staff = factory.Trait(is_staff=True)
        writer = factory.Trait(is_staff=True, role=factory.PostGeneration(in_role(WRITER)))
        editor = factory.Trait(is_staff=True, role=factory.PostGeneration(in_role(EDITOR)))
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("first_name")
    password = Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            groups_add(self, names)
