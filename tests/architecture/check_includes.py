#!/usr/bin/python3
"""Checks that every #include "..." between the project's folders follows the table "Folders and what each may
include" in docs/architecture.md, so that the map and the code cannot drift apart and data flows one way.

usage: tests/architecture/check_includes.py [REPO_ROOT]      exit 0 when every include is allowed, 1 otherwise
"""
import re
import sys
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
ROW = re.compile(r"^\| `(?P<folder>[a-z_/]+)/` \| (?P<allowed>[^|]*) \|")
INCLUDE = re.compile(r'^\s*#\s*include\s+"(?P<path>[^"]+)"')


def folder_of(path: str) -> str:
    """The project folder a path is in: sim/<name> or hw."""
    parts = path.split("/")
    if parts[0] == "sim" and len(parts) > 2:
        return "sim/" + parts[1]
    return parts[0] if len(parts) > 1 else ""


def rules() -> dict:
    table = {}
    for line in (ROOT / "docs/architecture.md").read_text().splitlines():
        match = ROW.match(line)
        if match:
            allowed = match["allowed"].strip()
            table[match["folder"]] = set() if allowed in ("nothing", "—") else {
                name.strip().strip("`").rstrip("/") for name in allowed.split(",")}
    return table


def main() -> int:
    table = rules()
    if not table:
        print("docs/architecture.md: no include table found")
        return 1
    problems = []
    for source in sorted([*ROOT.glob("sim/**/*.[ch]pp"), *ROOT.glob("hw/**/*.[ch]pp")]):
        relative = source.relative_to(ROOT).as_posix()
        folder = folder_of(relative)
        if folder not in table:
            problems.append(f"{relative}: folder {folder} is not in the table of docs/architecture.md")
            continue
        for number, line in enumerate(source.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = folder_of(match["path"])
            if target in ("", folder) or not (target.startswith("sim/") or target == "hw"):
                continue
            if target not in table[folder]:
                problems.append(f"{relative}:{number}: {folder} may not include {match['path']} ({target})")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} include(s) against docs/architecture.md" if problems else "includes follow docs/architecture.md")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
