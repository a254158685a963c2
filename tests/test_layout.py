"""The house's rules: one package per capability, and shared infrastructure that never imports one."""
import ast
import tomllib
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"
CAPABILITIES = sorted(p.name for p in WEBAPP.iterdir() if (p / "__init__.py").exists())
# the app factory registers every capability's blueprint: the one module allowed to know them all
FACTORY = WEBAPP / "__init__.py"


def module_of(node, path):
    """The absolute dotted name of the module a `from … import` in the file at `path` imports from."""
    if not node.level:
        return node.module or ""
    package = ["webapp", *path.relative_to(WEBAPP).parent.parts]
    return ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))


def imported_modules(path):
    """The webapp modules a file imports, as absolute dotted names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = module_of(node, path)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "webapp" or name.startswith("webapp.")}


def test_shared_infrastructure_never_imports_a_capability():
    for path in sorted(WEBAPP.glob("*.py")):
        if path == FACTORY:
            continue
        capabilities = {name.split(".")[1] for name in imported_modules(path) if name.count(".") >= 1}
        assert not capabilities & set(CAPABILITIES), f"{path.name} imports {sorted(capabilities & set(CAPABILITIES))}"


def names_taken_from_the_package(path):
    """What a file imports from webapp/__init__.py itself (not its submodules): nothing, since extensions.py."""
    taken = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and module_of(node, path) == "webapp":
            taken += [alias.name for alias in node.names
                      if not (WEBAPP / f"{alias.name}.py").exists() and not (WEBAPP / alias.name).is_dir()]
    return taken


def test_no_module_imports_the_package_itself():
    """Extensions live in extensions.py, so nothing reaches back up into webapp/__init__.py."""
    for path in sorted(WEBAPP.rglob("*.py")):
        assert not names_taken_from_the_package(path), path.relative_to(WEBAPP)


def test_capabilities_do_not_import_each_others_views():
    for capability in CAPABILITIES:
        for path in sorted((WEBAPP / capability).rglob("*.py")):
            for name in imported_modules(path):
                parts = name.split(".")
                if len(parts) >= 3 and parts[1] != capability and parts[1] in CAPABILITIES:
                    assert parts[2] != "views", f"{path.relative_to(WEBAPP)} imports {name}"


# the rooms a capability may have (issue 16): the same names in every package, so a newcomer finds things
ROOMS = {"__init__", "views", "rules", "store", "forms", "texts", "demo",
         # a few named for what they hold: Word documents, CSV imports, map images, the signed-in user,
         # the OpenID Connect client
         "documents", "csv_import", "roster_import", "images", "user", "passwords", "oidc"}


def test_every_capability_has_views_and_only_the_common_rooms():
    for capability in CAPABILITIES:
        rooms = {p.stem for p in (WEBAPP / capability).glob("*.py")}
        assert "views" in rooms, capability
        assert rooms <= ROOMS, f"{capability}: {sorted(rooms - ROOMS)}"
        # only a docstring: importing a capability's rules or store must not import its views
        package = ast.parse((WEBAPP / capability / "__init__.py").read_text(encoding="utf-8")).body
        assert all(isinstance(node, ast.Expr) for node in package), capability


def test_templates_follow_the_packages():
    folders = {p.name for p in (WEBAPP.parent / "templates").iterdir() if p.is_dir()}
    assert folders - {"errors"} <= set(CAPABILITIES), sorted(folders - set(CAPABILITIES))


# tests of the shared infrastructure and of the whole app, named for what they test
WHOLE_APP_TESTS = {"access", "bench", "cli", "compression", "db", "demo", "docx_template", "docx_text", "layout",
                   "one_writer", "probe", "rendering", "security", "security_review", "audit"}


def test_each_test_file_sits_beside_the_package_it_tests():
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        name = path.stem.removeprefix("test_")
        assert name in WHOLE_APP_TESTS or any(name == c or name.startswith(c + "_") for c in CAPABILITIES), path.name


# templates read like the code beside them: no line longer than ruff lets a Python line be (pyproject.toml)
TEMPLATES = sorted((WEBAPP.parent / "templates").rglob("*.html"))
MAX_LINE = tomllib.loads((WEBAPP.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["line-length"]


def test_the_templates_and_the_line_limit_are_found():
    assert len(TEMPLATES) > 50 and MAX_LINE == 120


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(WEBAPP.parent / "templates")))
def test_no_template_line_is_longer_than_120_characters(template):
    lines = template.read_text(encoding="utf-8").splitlines()
    too_long = [number for number, line in enumerate(lines, 1) if len(line) > MAX_LINE]
    assert too_long == [], f"lines longer than {MAX_LINE} characters: {too_long}"
