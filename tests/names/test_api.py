"""The public surface of wayhome.names: typed, documented, pure and small."""

import ast
import inspect
from pathlib import Path

import wayhome.names as names

PACKAGE = Path(names.__file__).parent


def test_all_is_exported_and_documented() -> None:
    for name in names.__all__:
        obj = getattr(names, name)
        assert inspect.getdoc(obj), name
        if inspect.isfunction(obj):
            assert inspect.signature(obj).return_annotation is not inspect.Signature.empty, name


def test_every_public_function_has_a_docstring() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                assert ast.get_docstring(node), f"{path.name}:{node.name}"


def test_modules_are_small_and_pure() -> None:
    for path in PACKAGE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) < 400, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("wayhome"), (path.name, node.module)
                assert node.module.split(".")[0] in {
                    "__future__",
                    "dataclasses",
                    "functools",
                    "types",
                    "typing",
                    "collections",
                }, node.module
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name in {
                        "bisect",
                        "icu",
                        "itertools",
                        "re",
                        "threading",
                        "unicodedata",
                    }, (path.name, alias.name)


def test_no_utils_module() -> None:
    assert not (PACKAGE / "utils.py").exists()


def test_doctest_examples_hold() -> None:
    assert names.matching_keys("Мамедов") & names.matching_keys("Məmmədov") == {"mamedov"}
    assert names.phonetic_key("Mohammed") == names.phonetic_key("محمد")
    assert names.normalise_surname("Aliyeva") == names.normalise_surname("Алиев")
