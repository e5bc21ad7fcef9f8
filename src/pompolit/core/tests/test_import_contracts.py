"""The layers and the no-cycles rule (pyproject.toml, docs/architecture.md) hold, and the
cycle contract of our own (scripts/import_contracts.py) does find a cycle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=300)


def test_the_project_keeps_its_import_contracts():
    result = lint_imports(ROOT, ROOT / "verifier" / "src", ROOT / "scripts")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    package = tmp_path / "tiny"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("from tiny import forms\n")
    (package / "forms.py").write_text(
        "import os\n\n\ndef choices():\n    from tiny import models\n"
    )
    (package / "partial.py").write_text("from tiny import models\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "tiny"\n'
        'contract_types = ["modules_acyclic: import_contracts.ModulesAcyclicContract"]\n'
        '[[tool.importlinter.contracts]]\nname = "No cycles"\ntype = "modules_acyclic"\n'
        'packages = ["tiny"]\n'
    )
    result = lint_imports(tmp_path, tmp_path, ROOT / "scripts")
    assert result.returncode == 1
    assert "An import cycle of 2 modules" in result.stdout
    assert "- tiny.forms -> tiny.models (l.5)" in result.stdout
    assert "- tiny.models -> tiny.forms (l.1)" in result.stdout
    assert "partial" not in result.stdout.split("An import cycle")[1]


def test_modules_that_only_import_downwards_keep_the_contract(tmp_path):
    package = tmp_path / "tiny"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("import os\n")
    (package / "forms.py").write_text("from tiny import models\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "tiny"\n'
        'contract_types = ["modules_acyclic: import_contracts.ModulesAcyclicContract"]\n'
        '[[tool.importlinter.contracts]]\nname = "No cycles"\ntype = "modules_acyclic"\n'
        'packages = ["tiny"]\n'
    )
    result = lint_imports(tmp_path, tmp_path, ROOT / "scripts")
    assert result.returncode == 0, result.stdout
