"""
The editors' Content Security Policy: the site's policy (`settings.SECURE_CSP`,
`'self'` only), relaxed just enough for the rich-text editor
(django-prose-editor) on the admin pages that show it.

* scripts: the editor's ES modules are found through an inline
  `<script type="importmap">`. Admin pages are never cached, so a per-request
  nonce is safe there; the admin renders its form media with it.
* styles: the small stylesheet Tiptap (inside django-prose-editor 0.28) injects
  as a `<style>` element, which django-prose-editor gives no way to turn off,
  allowed by its hash. Without it ProseMirror warns, and double spaces typed in
  the editor are saved as `&nbsp;`. If an upgrade changes the stylesheet, the
  browser tests that open an editor (tests/articles/test_browser.py,
  tests/accounts/test_browser.py) fail with the new hash in the CSP error.

Use it as a view decorator: `@method_decorator(editor_csp_override)` on a
ModelAdmin's `changeform_view`; it is Django's own `csp_override`.
"""

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

TIPTAP_BASE_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"

#: The site's policy plus a nonce for scripts and Tiptap's stylesheet hash.
EDITOR_CSP = {
    **settings.SECURE_CSP,
    "script-src": [*settings.SECURE_CSP.get("script-src", [CSP.SELF]), CSP.NONCE],
    "style-src": [*settings.SECURE_CSP.get("style-src", [CSP.SELF]), TIPTAP_BASE_STYLE_HASH],
}

#: A view decorator that sends EDITOR_CSP instead of the site's policy.
editor_csp_override = csp_override(EDITOR_CSP)
