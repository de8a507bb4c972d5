"""Write docs/cli.md from the command-line parser itself, so the reference cannot drift from the code.

python scripts/make_cli_docs.py          # rewrite docs/cli.md
python scripts/make_cli_docs.py --check  # exit 1 when docs/cli.md is out of date (the tests run this)
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import sys
from dataclasses import fields
from pathlib import Path

from broadsheet.cli import build_parser
from broadsheet.options import Options

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal; fix the width so the file is stable
    parser = build_parser()
    parser.prog = "broadsheet"
    out = [
        "# Command-line reference",
        "",
        "Generated from the parser by `python scripts/make_cli_docs.py`; every command is a thin shell over one",
        "public function of the library.",
        "",
        "```",
        parser.format_help().rstrip(),
        "```",
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        out += ["", f"## broadsheet {name}", "", "```", command.format_help().rstrip(), "```"]
    return "\n".join(out + _environment()) + "\n"


def _environment() -> list[str]:
    """The extraction options the environment sets (``Options.from_env``), each with the comment its field
    carries in options.py (on its line, else the comment lines just above it)."""
    defaults = Options()
    notes: dict[str, str] = {}
    above: list[str] = []
    for line in inspect.getsource(Options).splitlines():
        field = re.match(r"    (\w+): [^=]+= .*?(?:#\s*(.*))?$", line)
        if line.strip().startswith("#"):
            above.append(line.strip().lstrip("# "))
        elif field:
            notes[field.group(1)] = field.group(2) or " ".join(above)
            above = []
        else:
            above = []
    rows = [
        f"| `BROADSHEET_{f.name.upper()}` | `{getattr(defaults, f.name)!r}` | {notes.get(f.name, '')} |"
        for f in fields(Options)
        if getattr(defaults, f.name) is not None  # learned state (site templates), not a setting
    ]
    return [
        "",
        "## Extraction options from the environment",
        "",
        "`extract`, `ingest` and `spark` read these (`Options.from_env`); a command-line flag of the same name wins.",
        "Booleans take 1/true/yes/on.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
        *rows,
    ]


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print("docs/cli.md is out of date: run python scripts/make_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
