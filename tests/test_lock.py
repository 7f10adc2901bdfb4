"""The lock files follow pyproject.toml: every declared dependency is pinned, at a version the
declaration allows. (`make lock` rewrites them after an edit.)"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize(
    ("lock", "declared"),
    [
        ("base.lock", PROJECT["dependencies"]),
        ("test.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
    ],
)
def test_every_declared_dependency_is_pinned_at_an_allowed_version(lock, declared):
    pinned = pins(lock)
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements/{lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"requirements/{lock} pins {name}=={pinned[name]}, pyproject.toml asks for "
            f"{requirement.specifier}: run `make lock`"
        )


def test_every_pin_carries_hashes():
    for lock in ("base.lock", "test.lock"):
        text = (ROOT / "requirements" / lock).read_text()
        # A pin's block runs from its "name==version" line to the next one.
        blocks = re.split(r"^(?=[A-Za-z0-9_.\-]+==)", text, flags=re.MULTILINE)[1:]
        assert len(blocks) == len(pins(lock)) > 0
        for block in blocks:
            assert "--hash=sha256:" in block, f"requirements/{lock}: no hash for {block.split()[0]}"
