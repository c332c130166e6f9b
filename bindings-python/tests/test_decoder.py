"""The decoder (jiter's reader, JSON text straight to dicts) must give exactly what `json.loads` gives:
same types, same values, same key order, on tricky JSON; and records from the server must equal
`json.loads` of the raw page."""

from __future__ import annotations

import json
import math
import random
import urllib.parse
import urllib.request
from typing import Any, List

import pytest

import nango
from nango._nango import _decode_json, _decode_json_many


def same(a: Any, b: Any) -> bool:
    """Equal with identical types and dict key order (`==` would accept 1 == 1.0 == True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return bool(a == b)


def check(text: str) -> None:
    expected = json.loads(text)
    got = _decode_json(text)
    assert same(got, expected), (text, got, expected)


TRICKY = [
    "{}",
    "[]",
    '{"a":{}, "b":[], "c":[{}, [[]], {"d": {"e": []}}]}',
    ' \n\t{ "a" : [ 1 , 2 ] , "b" : { } } \r\n',
    '"plain"',
    '""',
    "true",
    "false",
    "null",
    '[true, false, null, 0, -0, 1, -1]',
    '"caf\u00e9 \u4e2d\u6587 \U0001f600"',  # raw UTF-8
    r'"\u00e9\u4e2d\u6587"',
    r'"\ud83d\ude00 smile"',  # surrogate pair
    r'"\uD83D\uDE00"',  # upper-case hex
    r'"lone high \ud800 end"',
    r'"lone low \udc00 end"',
    r'"\ud800\u0041"',  # high surrogate then a non-surrogate escape
    r'"\ud800\ud800\udc00"',  # high, then a valid pair
    r'"\ud800"',
    r'{"\ud800": 1}',  # lone surrogate in a key
    r'"\" \\ \/ \b \f \n \r \t"',
    r'"\u0000\u001f"',
    r'{"k\u00e9y": "v", "k\"q": 2, "\n": 3}',
    '{"a": 1, "b": 2, "a": 3}',  # duplicate: first position, last value
    '{"a": {"x": 1}, "a": [1]}',
    str(2**63 - 1),
    str(2**63),
    str(2**64 - 1),
    str(2**64),
    str(-(2**63)),
    str(-(2**63) - 1),
    str(10**30),
    str(-(10**30)),
    "[" + ",".join(str(10**k) for k in range(40)) + "]",
    "123456789012345678901234567890123456789012345678901234567890",
    "0.1",
    "-0.0",
    "0.30000000000000004",
    "1e308",
    "1.7976931348623157e308",
    "1e400",
    "-1e400",
    "5e-324",
    "2.4703282292062328e-324",
    "1E-7",
    "2.5e+3",
    "1e5",
    "123456789012345678901234567890.5",
    "9007199254740993.0",
    "0.000000000000000000000000000001",
    '{"f": 1.0, "i": 1, "b": true, "n": null, "s": "1"}',
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_json_matches_json_loads(text: str) -> None:
    check(text)


def test_escapes_and_non_ascii_at_every_offset() -> None:
    # String scanners read several bytes at a time: put the interesting byte everywhere.
    for special in ["\\n", '\\"', "\\\\", "\\u00e9", "\\ud83d\\ude00", "\u00e9", "\U0001f600", "\x7f", "~"]:
        for before in range(0, 20):
            for after in range(0, 12):
                check('{"k": "' + "x" * before + special + "y" * after + '"}')


def test_deep_nesting() -> None:
    check("[" * 120 + "]" * 120)
    check('{"a":' * 120 + "1" + "}" * 120)


def test_too_deep_is_an_error_not_a_crash() -> None:
    with pytest.raises(nango.NangoError):
        _decode_json("[" * 5000 + "]" * 5000)


@pytest.mark.parametrize(
    "text",
    ["", " ", "{", "[1,]", '{"a" 1}', '{"a":1,}', "01", "1.", "-", ".5", "1e", "tru", "nul",
     '"\x01"', '"abc', '"\\x"', '"\\u12"', '"\\u12zz"', "1 2", "[1 2]", "{'a': 1}"],
)
def test_invalid_json_raises(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(nango.NangoError):
        _decode_json(text)


@pytest.mark.parametrize("text", ["NaN", "-Infinity", "[Infinity]", r'["\ud800", NaN]', r'{"\udc00": Infinity}'])
def test_non_standard_numbers_are_refused(text: str) -> None:
    # json.loads accepts these extensions; the server never sends them and core's check of each
    # page refuses them, so the decoder does too (even on its json.loads path for lone surrogates).
    with pytest.raises(nango.NangoError):
        _decode_json(text)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, -1, 2**31, 2**63, 2**64, -(2**70), rng.randrange(-(10**25), 10**25)])
    if kind == 2:
        return rng.choice([0.0, -0.0, 1.5, 1e-300, 1e300]) * rng.random() + rng.uniform(-1e6, 1e6)
    if kind in (3, 4, 5):
        alphabet = "ab \"\\/\n\t\x00\x1f\u00e9\u4e2d\U0001f600"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
    if kind in (6, 7):
        keys = ["id", "a", "b", "k\u00e9y", '"q', "", "\U0001f600", "x" * 70]
        return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))}
    return [random_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))]


def test_random_documents_match_json_loads() -> None:
    rng = random.Random(20261128)
    for _ in range(400):
        value = random_value(rng)
        for ensure_ascii in (True, False):
            for indent in (None, 1):
                check(json.dumps(value, ensure_ascii=ensure_ascii, indent=indent))


def check_many(texts: List[str]) -> None:
    """Several documents in a row, as a walk decodes its records."""
    got = _decode_json_many(texts)
    assert len(got) == len(texts)
    for text, value in zip(texts, got):
        assert same(value, json.loads(text)), (text, value)


# Records of one shape, then objects that match it only in part: the reader keeps the keys it
# made and a template dict per list of keys, and must never hand out a template that differs.
SHAPE_SEQUENCES = [
    # fewer keys, more keys, other order, another key in the middle
    ['{"a":1,"b":2,"c":3}'] * 3 + ['{"a":1,"b":2}', '{"a":1,"b":2,"c":3,"d":4}', '{"c":1,"a":2,"b":3}', '{"a":1,"x":2,"c":3}'],
    # a template key repeated: first position, last value; a key that comes back after leaving
    ['{"a":1,"b":2,"c":3}'] * 3 + ['{"a":1,"a":2,"b":3,"c":4}', '{"a":1,"b":2,"c":3,"a":4}', '{"a":1,"c":2,"b":3}', '{"a":1,"b":2,"b":3}'],
    # a repeated key while learning: never becomes a template
    ['{"a":1,"a":2}'] * 4 + ['{"a":3}', '{"a":1,"a":2}'],
    # escaped keys that read the same as template keys, and keys that look alike in bytes
    ['{"ab":1,"cd":2}'] * 3 + [r'{"\u0061b":1,"cd":2}', r'{"ab":1,"c\u0064":2}', '{"ab":1,"ce":2}', '{"abc":1,"cd":2}'],
    # nested objects under the same key (an inner one replaces the shape mid-object)
    ['{"n":{"n":{"n":{"x":1}},"y":2},"z":3}'] * 3 + ['{"n":{"x":1},"z":3}', '{"n":{"n":{"y":1,"x":2}},"z":[{"n":1}]}'],
    # arrays of objects, and empty objects
    ['[{"id":1,"v":"a"},{"id":2,"v":"b"},{"id":3},{},{"v":"c","id":4}]'] * 2 + ['{"x":{}}', '{"x":{"a":1}}', '{"x":{}}'],
    # keys too long to cache, and more keys than a template holds
    ['{"' + "k" * 70 + '":1,"b":2}'] * 3 + ['{' + ",".join(f'"k{i}":{i}' for i in range(80)) + '}'] * 3,
    # string values repeated under a key (handed out again), changed, escaped, or too long to keep
    ['{"s":"pending","t":"2026-11-29T00:00:00+00:00"}'] * 2
    + ['{"s":"pending","t":"2026-11-29T00:00:01+00:00"}', '{"s":"pendinG","t":"2026-11-29T00:00:01+00:00"}']
    + ['{"s":"p\u00e9","t":"x"}', '{"s":"pé","t":"x"}', '{"s":"","t":"x"}', '{"s":["", "a"],"t":{"s":"a"}}']
    + ['{"s":"' + "x" * 40 + '"}', '{"s":"' + "x" * 40 + '"}', '{"s":"' + "x" * 41 + '"}', '{"s":"' + "x" * 41 + '"}'],
    # more distinct keys than the key cache has slots (slots reused), in two orders
    ['{' + ",".join(f'"key{i}":{i}' for i in range(700)) + '}'] * 2
    + ['{' + ",".join(f'"key{i}":{i}' for i in reversed(range(700))) + '}']
    + ['{' + ",".join(f'"key{i}":{i}' for i in range(700)) + '}'],
    # values of every type under template keys
    ['{"a":null,"b":true,"c":"s","d":1.5,"e":[1],"f":{"g":1}}'] * 3 + ['{"a":1,"b":"t","c":null,"d":[],"e":{},"f":-0.0}'],
]


@pytest.mark.parametrize("texts", SHAPE_SEQUENCES)
def test_object_shapes_match_json_loads(texts: List[str]) -> None:
    check_many(texts)


def test_random_record_streams_match_json_loads() -> None:
    """Records of a few shapes, each mutated now and then (key dropped, added, moved, repeated)."""
    rng = random.Random(20261129)
    shapes = [[f"f{i}" for i in range(rng.randrange(1, 12))] for _ in range(4)]
    for _ in range(60):
        texts = []
        for _ in range(40):
            keys = list(rng.choice(shapes))
            mutation = rng.randrange(8)
            if mutation == 0:
                keys.pop(rng.randrange(len(keys)))
            elif mutation == 1:
                keys.insert(rng.randrange(len(keys) + 1), rng.choice(["f0", "f3", "new", "f11"]))
            elif mutation == 2:
                rng.shuffle(keys)
            pairs = ", ".join(f'"{key}": {json.dumps(random_value(rng, 3))}' for key in keys)
            nested = rng.random() < 0.3
            texts.append("{" + pairs + (', "meta": {' + pairs + "}" if nested and pairs else "") + "}")
        check_many(texts)


def raw_pages(emulator: Any, limit: int) -> List[Any]:
    """Every record as `json.loads` reads the raw /records pages (the protocol by hand)."""
    records: List[Any] = []
    cursor = None
    while True:
        query = {"model": "Ticket", "limit": str(limit)}
        if cursor:
            query["cursor"] = cursor
        request = urllib.request.Request(
            emulator.url + "/records/?" + urllib.parse.urlencode(query),
            headers={
                "Authorization": "Bearer " + emulator.secret_key,
                "Connection-Id": "conn-1",
                "Provider-Config-Key": "zendesk",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            page = json.loads(response.read())
        records.extend(page["records"])
        cursor = page["next_cursor"]
        if not cursor:
            return records


def test_records_equal_json_loads_of_the_raw_pages(emulator: Any, client: nango.Nango) -> None:
    expected = raw_pages(emulator, 7)
    assert expected, "the demo integration seeds records"
    walked = list(client.records("zendesk", "conn-1", "Ticket", limit=7))
    assert same(walked, expected)
    assert all(isinstance(r["_nango_metadata"], dict) for r in walked)
    page = client.list_records("zendesk", "conn-1", "Ticket", limit=len(expected) + 1)
    assert same(page["records"], expected)
    assert page["next_cursor"] is None
