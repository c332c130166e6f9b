#!/usr/bin/env python3
"""Every document a comment cites must be in the repository (run by `make lint`).

Code and docs may cite `docs/protocol.md §N` (the wire contract), `docs/protocol.md §13, quirk N`
and `docs/toolchain.md §N`; each cited section and quirk must exist there. Outside `docs/`, a
tracked file fails the check when it:
  - names a file of a `shared/` folder, `nango-protocol.md` or `conventions.md`, or a
    `toolchain.md` other than `docs/toolchain.md` (a clone has none of them);
  - cites a "house rule" or "conventions rule" (state the reason in the comment instead);
  - writes "protocol §N", or a bare "§N" / "quirk N" without naming its document on that line
    (`RFC nnnn §N` is fine).
Inside docs/protocol.md and docs/toolchain.md a bare "§N" means that same file and must exist too.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = "docs/protocol.md"
TOOLCHAIN = "docs/toolchain.md"
# CHANGELOG.md is the lead's history file (entries are not rewritten); this script names the
# patterns it looks for.
EXEMPT = {"scripts/check_doc_citations.py"}

FORBIDDEN = [
    (re.compile(r"shared/"), "names a shared/ folder that a clone does not have"),
    (re.compile(r"nango-protocol\.md"), "cites nango-protocol.md: cite docs/protocol.md §N"),
    (re.compile(r"conventions\.md"), "cites conventions.md: state the reason instead"),
    (re.compile(r"(?<!docs/)toolchain\.md"), "cites toolchain.md: cite docs/toolchain.md §N"),
    (re.compile(r"house rule|conventions rule", re.I), "cites a house rule: state the reason instead"),
    (re.compile(r"\bprotocol §", re.I), 'writes "protocol §": cite docs/protocol.md §N'),
]
# What a "§N" on a line belongs to: the nearest document (or RFC) named before it on that line.
ANCHOR = re.compile(r"docs/protocol\.md|docs/toolchain\.md|\bRFC ?\d+")
SECTION = re.compile(r"§ ?(\d+(?:\.\d+)*)")
QUIRK = re.compile(r"\bquirks? (\d+(?:(?:, | and )\d+)*)")
HEADING = re.compile(r"^#{2,4} (\d+(?:\.\d+)*)\.? ")
QUIRK_ROW = re.compile(r"^\| (\d+) \|")


def sections_and_quirks(text):
    """The section numbers of a document's headings, and the quirk rows of its §13 table."""
    sections, quirks, current = set(), set(), None
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            current = m.group(1)
            sections.add(current)
            continue
        m = QUIRK_ROW.match(line)
        if m and current == "13":
            quirks.add(m.group(1))
    return sections, quirks


def line_problems(line, docs, own=None):
    """Problems of one line. `docs` maps a document path to (sections, quirks); `own` is the
    document a bare "§N" refers to (the file itself, for docs/*.md), else None."""
    out = []
    if own is None:
        out += [why for rx, why in FORBIDDEN if rx.search(line)]
    anchors = [(m.start(), m.group(0)) for m in ANCHOR.finditer(line)]
    for m in SECTION.finditer(line):
        before = [a for pos, a in anchors if pos < m.start()]
        doc = before[-1] if before else own
        if doc is None:
            out.append(f'bare "§{m.group(1)}": name its document (docs/protocol.md §N)')
        elif doc in docs and m.group(1) not in docs[doc][0]:
            out.append(f"{doc} has no section §{m.group(1)}")
    for m in QUIRK.finditer(line):
        before = [a for pos, a in anchors if pos < m.start()]
        doc = before[-1] if before else own
        if doc != PROTOCOL:
            out.append(f'"{m.group(0)}": cite it as docs/protocol.md §13, quirk N')
            continue
        for n in re.findall(r"\d+", m.group(1)):
            if n not in docs[PROTOCOL][1]:
                out.append(f"docs/protocol.md §13 has no quirk {n}")
    return out


def self_test(docs):
    """The rules must catch what they are meant to catch (so this check can fail)."""
    bad = [
        "// see ../shared/nango-protocol.md",
        "# (toolchain.md gotcha 8)",
        "# versions measured in shared/toolchain.md",
        "// Tests may unwrap (house rule 17).",
        "//! in one place (conventions rule 7).",
        "//! Records (protocol §7).",
        "/// The WebSocket URL (§4.1).",
        "// the official SDK hangs here (quirk 9).",
        "//! Records (docs/protocol.md §99).",
        "# (docs/toolchain.md §99)",
        "// (docs/protocol.md §13, quirk 99)",
    ]
    good = [
        "//! Records (docs/protocol.md §2.3, §7): one page.",
        "//! The popup flow (docs/protocol.md §4.2–§4.4, §13 quirk 9).",
        "// joined as HTTP allows (RFC 9110 §5.3).",
        "# (docs/toolchain.md §8)",
        "// Base-Url-Override only when set (docs/protocol.md §13, quirks 2, 3).",
    ]
    failures = [f"not caught: {s}" for s in bad if not line_problems(s, docs)]
    failures += [f"wrongly caught: {s}: {line_problems(s, docs)}" for s in good if line_problems(s, docs)]
    return failures


def main():
    docs = {}
    for doc in (PROTOCOL, TOOLCHAIN):
        docs[doc] = sections_and_quirks((ROOT / doc).read_text(encoding="utf-8"))
    problems = [f"self-test: {f}" for f in self_test(docs)]
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode().split("\0")
    for path in filter(None, files):
        if path in EXEMPT:
            continue
        own = path if path in docs else None
        if path.startswith("docs/") and own is None:
            continue
        try:
            text = (ROOT / path).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            problems += [f"{path}:{number}: {p}" for p in line_problems(line, docs, own)]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_doc_citations: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
