"""Documentation that must not drift: docstrings of the stubs, and docs/errors.md's table."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Dict, List, Union

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "bindings-python" / "python" / "nango" / "_nango.pyi"
ERRORS_PAGE = ROOT / "docs" / "errors.md"
CLASSES = json.loads((ROOT / "tests" / "vectors" / "errors.json").read_text())["classes"]

Documented = Union[ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef]


def stub_items() -> Dict[str, Documented]:
    """Every class, method, property and function of the stub, by qualified name."""
    items: Dict[str, Documented] = {}
    for node in ast.parse(STUB.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            items[node.name] = node
        elif isinstance(node, ast.ClassDef):
            items[node.name] = node
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    items[f"{node.name}.{member.name}"] = member
    return items


def test_every_public_stub_item_has_a_docstring() -> None:
    items = stub_items()
    # The parse must have found the clients; an empty walk would pass vacuously.
    assert {"Nango.list_records", "AsyncNango.records", "RecordIterator.cursor"} <= set(items)
    missing = [
        name
        for name, node in items.items()
        if not name.split(".")[-1].startswith("_") or name.split(".")[-1].startswith("__")
        if not (ast.get_docstring(node) or "").strip()
    ]
    assert missing == [], f"no docstring in _nango.pyi: {missing}"


def test_every_result_type_class_has_a_docstring() -> None:
    # The hand-written ones and those tools/typegen writes from core's types.
    classes = [
        node
        for module in ("types.py", "_generated_types.py")
        for node in ast.parse((STUB.parent / module).read_text()).body
        if isinstance(node, ast.ClassDef)
    ]
    assert len(classes) > 10
    assert [c.name for c in classes if not (ast.get_docstring(c) or "").strip()] == []


def test_docstrings_name_the_endpoint_of_each_calling_method() -> None:
    items = stub_items()
    local = {
        "host",
        "timeout",
        "deadline",
        "verify_incoming_webhook_request",
        "verify_webhook_signature",
        "parse_webhook",
    }
    for name, node in items.items():
        cls, _, method = name.partition(".")
        if cls == "Nango" and method and not method.startswith("_") and method not in local:
            doc = ast.get_docstring(node) or ""
            assert re.search(r"``(GET|POST|PUT|PATCH|DELETE) /|``/proxy/", doc), name


def errors_table() -> Dict[str, List[str]]:
    """docs/errors.md's table: code -> [meaning, retried, rust, node, python], backticks removed."""
    rows: Dict[str, List[str]] = {}
    for line in ERRORS_PAGE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 6:
            code = cells[0].strip("`")
            assert code not in rows, f"{code} twice in docs/errors.md"
            rows[code] = [cells[1], cells[2]] + [cell.strip("`") for cell in cells[3:]]
    return rows


def test_errors_page_lists_every_code_with_its_classes() -> None:
    variants = dict(
        (code, variant)
        for variant, code in re.findall(
            r'^\s*(\w+) => "(\w+)",', (ROOT / "core" / "src" / "error.rs").read_text(), re.M
        )
    )
    rows = errors_table()
    assert len(CLASSES) == len(variants) > 20
    assert sorted(rows) == sorted(row["code"] for row in CLASSES), "codes of docs/errors.md"
    for row in CLASSES:
        meaning, retried, rust, node, python = rows[row["code"]]
        assert meaning and retried, row["code"]
        assert rust == f"ErrorCode::{variants[row['code']]}", row["code"]
        assert node == row["node"], row["code"]
        assert python == row["python"], row["code"]


def test_help_shows_the_stub_docstrings() -> None:
    """help() reads the native methods' __doc__ (set in src/client.rs), IDEs read the stub:
    the two must say the same."""
    import inspect

    import nango

    checked = 0
    for name, node in stub_items().items():
        cls, _, method = name.partition(".")
        if cls != "Nango" or not method or method.startswith("_"):
            continue
        native = inspect.cleandoc(getattr(nango.Nango, method).__doc__ or "")
        assert native == ast.get_docstring(node), f"Nango.{method}: src/client.rs and _nango.pyi differ"
        checked += 1
    assert checked > 25
