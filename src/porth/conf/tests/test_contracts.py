"""The import-linter contracts stay true as modules are added: every module of an app that is
not its public API (service, models, signals) is protected from other apps."""

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

PYPROJECT = Path(__file__).resolve().parents[4] / "pyproject.toml"
PUBLIC = {"service", "models", "signals"}
APPS = [
    "accounts",
    "audit",
    "services",
    "submissions",
    "casework",
    "notifications",
    "analytics",
    "opendata",
    "background",
    "signin",
    "integrations",
    "exchange",
    "applications",
]


def _contracts() -> list[dict[str, Any]]:
    config = tomllib.loads(PYPROJECT.read_text())
    contracts: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _protected(app: str) -> set[str]:
    for contract in _contracts():
        if contract["type"] == "protected" and f"porth.{app}" in contract["allowed_importers"]:
            return set(contract["protected_modules"])
    raise AssertionError(f"no protected contract for porth.{app}")


@pytest.mark.parametrize("app", APPS)
def test_every_private_module_of_an_app_is_protected(app: str) -> None:
    package = importlib.import_module(f"porth.{app}")
    private = {
        f"porth.{app}.{module.name}"
        for module in pkgutil.iter_modules(package.__path__)
        if module.name not in PUBLIC
    }
    assert _protected(app) == private


def test_every_app_is_in_the_layers() -> None:
    (layers,) = [contract for contract in _contracts() if contract["type"] == "layers"]
    # A layer may hold several modules: "a : b" (may import each other), "a | b" (may not).
    named = {name.strip() for layer in layers["layers"] for name in re.split("[:|]", layer)}
    assert {f"porth.{app}" for app in APPS} <= named


def test_every_app_installed_is_checked(settings: Any) -> None:
    installed = {name for name in settings.INSTALLED_APPS if name.startswith("porth.")}
    assert installed - {"porth.conf.apps.PorthConfig"} == {f"porth.{app}" for app in APPS}
