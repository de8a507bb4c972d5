"""Regenerate the bundled examples (examples/pages as HTML, examples/text as flattened text) and the
golden cases (tests/golden/<case>/).

Both are synthetic pages written by broadsheet.synthetic, so their truth is known exactly:
    python scripts/make_examples.py
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from broadsheet.synthetic import generate, wire_corpus

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    pages_dir = ROOT / "examples" / "pages"
    text_dir = ROOT / "examples" / "text"
    for folder in (pages_dir, text_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    pages = generate(12, seed=2026) + wire_corpus(4, copies=(2, 3), seed=7)
    for i, page in enumerate(pages):
        stem = f"{i:02d}-{page.site.lower().replace(' ', '-')}"
        (pages_dir / f"{stem}.html").write_text(page.html, encoding="utf-8")
        (text_dir / f"{stem}.txt").write_text(
            f"date {page.truth['published'][:10]} " + page.text, encoding="utf-8"
        )
    golden = ROOT / "tests" / "golden"
    for case in golden.glob("synthetic-*"):
        shutil.rmtree(case)
    for i, page in enumerate(generate(6, seed=42)):
        for kind, content, name in (("html", page.html, "input.html"), ("text", page.text, "input.txt")):
            case = golden / f"synthetic-{i:02d}-{kind}"
            case.mkdir(parents=True, exist_ok=True)
            (case / name).write_text(content, encoding="utf-8")
            expected = {
                "_about": "truth of a synthetic page (broadsheet.synthetic, seed 42)",
                "url": page.url,
                **page.truth,
            }
            (case / "expected.json").write_text(
                json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
    print(
        f"{len(pages)} example pages in {pages_dir} (HTML) and {text_dir} (flattened text); golden cases in {golden}"
    )


if __name__ == "__main__":
    main()
