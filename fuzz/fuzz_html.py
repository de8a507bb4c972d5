"""Coverage-guided fuzzing (atheris, libFuzzer) of the HTML path: any input read and extracted as HTML.

    python fuzz/fuzz_html.py CORPUS_DIR -max_total_time=60 -timeout=10 -rss_limit_mb=4096

CORPUS_DIR starts with synthetic seeds when empty and grows with inputs that reach new code. A crash
(an exception out of ``extract``, a broken promise of ``target.check``), a hang over ``-timeout``
seconds or memory over ``-rss_limit_mb`` stops the run and is written as ``crash-*``/``timeout-*``
(``-artifact_prefix=DIR/``): add it to ``tests/fixtures/fuzz`` so that it stays fixed.
"""

from __future__ import annotations

import atheris

with atheris.instrument_imports(include=["broadsheet"]):  # coverage of broadsheet's Python code
    from target import run

if __name__ == "__main__":
    run("html")
