"""Editors look after the shop's products; writers do not."""

from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from newsroom.roles import EDITOR, WRITER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRODUCT_PAGES = ["/admin/cart/product/", "/admin/cart/product/add/"]


def staff_client(client, role: str):
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", PRODUCT_PAGES)
def test_editor_can_open_the_product_pages(client, url):
    assert staff_client(client, EDITOR).get(url).status_code == HTTPStatus.OK


@pytest.mark.parametrize("url", PRODUCT_PAGES)
def test_writer_cannot_open_the_product_pages(client, url):
    assert staff_client(client, WRITER).get(url).status_code == HTTPStatus.FORBIDDEN


def test_seed_demo_restores_the_editors_shop_permissions():
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.remove(*editor.permissions.filter(content_type__app_label="cart"))

    apps.get_app_config("cart").seed_demo()

    assert set(
        editor.permissions.filter(content_type__app_label="cart").values_list("codename", flat=True)
    ) == {"add_product", "change_product", "view_product"}
