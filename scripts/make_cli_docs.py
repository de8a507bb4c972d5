"""Write docs/cli.md from the command-line parser itself, so the reference cannot drift from the code.

python scripts/make_cli_docs.py          # rewrite docs/cli.md
python scripts/make_cli_docs.py --check  # exit 1 when docs/cli.md is out of date (the tests run this)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from broadsheet.cli import build_parser

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
    return "\n".join(out) + "\n"


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
