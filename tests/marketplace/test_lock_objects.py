"""One lock protocol: every row lock (``select_for_update``) of an app is taken in its ``lock_objects.py``, where the
lock order (orders/lock_objects.py) can be read and kept. A lock written anywhere else in an app is caught."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def locks_outside_lock_objects(root: Path) -> list[str]:
    """``path:line`` of each ``select_for_update`` in the apps under ``root`` outside their lock_objects.py."""
    found = []
    for app in sorted(path.parent for path in root.glob("*/apps.py")):
        for module in sorted(app.rglob("*.py")):
            if module.name == "lock_objects.py" or "migrations" in module.parts:
                continue
            for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
                if "select_for_update" in line:
                    found.append(f"{module.relative_to(root)}:{number}")
    return found


def test_every_row_lock_sits_in_a_lock_objects_module():
    assert locks_outside_lock_objects(BASE_DIR) == []


def test_a_row_lock_outside_lock_objects_is_caught(tmp_path):
    app = tmp_path / "shop"
    (app / "services").mkdir(parents=True)
    (app / "apps.py").write_text("")
    (app / "lock_objects.py").write_text("def locked(rows):\n    return rows.select_for_update()\n")
    (app / "services" / "edit.py").write_text("def edit(rows):\n    return rows.select_for_update().get()\n")
    assert locks_outside_lock_objects(tmp_path) == ["shop/services/edit.py:2"]
