"""
One copy of each shared rule (newsroom/), one vocabulary: checks on the source
tree itself, so a second copy or an old name cannot creep back in.
"""

import ast
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from newsroom.roles import ROLE_PERMISSIONS

ROOT = Path(__file__).resolve().parent.parent.parent


SOURCE_FOLDERS = ("newsroom", "articles", "accounts", "cart", "templates", "tests", "bench")


def tracked_files(*patterns: str) -> list[Path]:
    """The project's own files matching the glob `patterns` (not .venv's)."""
    return [
        path
        for folder in SOURCE_FOLDERS
        for pattern in patterns
        for path in (ROOT / folder).rglob(pattern)
        if path.is_file()
    ]


def files_containing(pattern: str, *globs: str) -> list[str]:
    regex = re.compile(pattern)
    return sorted(
        str(path.relative_to(ROOT))
        for path in tracked_files(*globs)
        if path != Path(__file__).resolve()
        and regex.search(path.read_text(encoding="utf-8", errors="replace"))
    )


def test_one_tiptap_style_hash_in_the_tree():
    assert files_containing(r"sha256-[A-Za-z0-9+/=]{40,}", "*.py", "*.html", "*.js") == [
        "newsroom/csp.py"
    ]


def test_no_private_csp_attribute_is_set_by_hand():
    # Django's csp_override decorator, not response._csp_config.
    assert files_containing(r"_csp_config", "*.py") == []


def test_role_names_are_typed_only_in_the_roles_module():
    names = "|".join(re.escape(name) for name in ROLE_PERMISSIONS)
    found = files_containing(rf"([\"'])({names})\1", "*.py", "*.html")
    # Landed migrations keep their frozen copies; they can never change.
    assert [path for path in found if "/migrations/" not in path] == ["newsroom/roles.py"]


def url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            names += url_names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_our_url_names_are_snake_case():
    ours = [
        name
        for name in url_names(get_resolver())
        if name.split(":")[0] in {"articles", "accounts", "cart", "healthz", "favicon"}
    ]

    assert ours
    assert [name for name in ours if not re.fullmatch(r"[a-z_]+(:[a-z_]+)?", name)] == []


def test_no_template_types_the_site_name_into_its_title():
    # base.html adds it through {% block title_suffix %}.
    assert files_containing(r"· Newsroom\{% endblock title %\}", "*.html") == []


def function_level_imports(path: Path) -> list[str]:
    """`module: line` for each import inside a function or method of `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_no_function_level_imports_in_the_apps():
    # Only an AppConfig imports late (its models and receivers are not loaded
    # when apps.py is); anywhere else in an app a late import hides an import
    # cycle. (newsroom/cache.py imports optional cache libraries late, on purpose.)
    modules = [
        path
        for folder in ("articles", "accounts", "cart")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and path.name != "apps.py"
    ]

    assert [line for path in modules for line in function_level_imports(path)] == []


def test_every_picture_in_a_template_says_its_size():
    """Width and height on every <img>, so the page does not shift while it loads."""
    tag = re.compile(r"<img\b[^>]*>", re.DOTALL)
    without_size = sorted(
        f"{path.relative_to(ROOT)}: {' '.join(img.split())}"
        for path in tracked_files("*.html")
        for img in tag.findall(path.read_text(encoding="utf-8"))
        if not (re.search(r"\swidth=", img) and re.search(r"\sheight=", img))
    )
    assert without_size == []


def css_nesting_errors(css: str) -> list[str]:
    """Where `css` opens a block it never closes or closes one it never opened
    (comments and strings left out). Browsers do not complain: they read the
    rest of the file as nested rules, and the layout quietly breaks."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", '""', css)
    errors, open_at = [], []
    for line_number, line in enumerate(css.splitlines(), start=1):
        for character in line:
            if character == "{":
                open_at.append(line_number)
            elif character == "}":
                if not open_at:
                    errors.append(f"line {line_number}: closes a block never opened")
                else:
                    open_at.pop()
    return errors + [f"line {line}: block never closed" for line in open_at]


def test_every_stylesheet_closes_what_it_opens():
    sheets = [path for path in ROOT.glob("*/static/**/*.css") if ".venv" not in path.parts]
    sheets += list((ROOT / "static").rglob("*.css"))

    assert sheets
    assert {
        str(path.relative_to(ROOT)): errors
        for path in sheets
        if (errors := css_nesting_errors(path.read_text()))
    } == {}
