"""The app layers of DESIGN.md hold: import-linter's contracts (pyproject.toml) pass, and they do catch a breach."""

import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def copy_of_the_tree(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".*", "__pycache__", "node_modules", "media", "static", "templates", "locale")
    for entry in BASE_DIR.iterdir():
        if entry.is_dir() and (entry / "__init__.py").exists():
            shutil.copytree(entry, target / entry.name, ignore=ignore)
    shutil.copy(BASE_DIR / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_tree_keeps_its_layers():
    result = run_lint_imports(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_against_the_layers_is_caught(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    (tree / "shops" / "layer_breach.py").write_text("from livestream import models  # noqa\n")
    result = run_lint_imports(tree)
    assert result.returncode != 0
    assert "shops is not allowed to import livestream" in result.stdout


def test_an_engine_importing_django_is_caught(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    (tree / "promotions" / "engine" / "django_breach.py").write_text("from django.db import models  # noqa\n")
    result = run_lint_imports(tree)
    assert result.returncode != 0
    assert "promotions.engine" in result.stdout
