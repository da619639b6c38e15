"""The atheris harnesses in fuzz/ run, bounded in time, against seeds from the real samples.

A reader raising anything but ImportFormatError makes libFuzzer exit non-zero with the
exception and the input; the test shows both.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.same_on_every_database  # see tests/conftest.py

pytest.importorskip(
    "atheris", reason="atheris has wheels only for Linux, CPython < 3.13 (pyproject test extra)"
)

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10
XML_FORMATS = {"tmx": ".tmx", "tbx": ".tbx", "bidix": ".dix"}
GETTEXT_FORMATS = {"po": ".po", "mo": ".mo"}


def _seeds(formats: dict[str, str]) -> dict[str, bytes]:
    """Real files per format (the head of big ones), prefixed as the harness expects."""
    from fuzz._harness import seed

    found: dict[str, bytes] = {}
    for format, extension in formats.items():
        for path in sorted(SAMPLES.rglob(f"*{extension}"))[:4] if SAMPLES.is_dir() else []:
            found[path.name] = seed(formats, format, path.read_bytes()[:16_384])
    if "mo" in formats and SAMPLES.is_dir():
        import polib

        po = polib.pofile(str(SAMPLES / "po" / "baobab_kk.po"))
        found["baobab_kk.mo"] = seed(formats, "mo", po.to_binary())
    return found


def _run(harness: str, formats: dict[str, str], corpus: Path) -> subprocess.CompletedProcess[str]:
    corpus.mkdir()
    for name, content in _seeds(formats).items():
        (corpus / name).write_bytes(content)
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / harness),
            f"-max_total_time={SECONDS}",
            "-runs=20000",
            "-timeout=20",  # one input taking this long is a hang, reported as a failure
            "-rss_limit_mb=1536",
            f"-artifact_prefix={corpus.parent}/",  # a crashing input lands here, not in the repo
            str(corpus),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SECONDS * 12,
        check=False,
    )


@pytest.mark.parametrize(
    ("harness", "formats"),
    [("xml_readers.py", XML_FORMATS), ("po_reader.py", GETTEXT_FORMATS)],
)
def test_harness_runs_clean(harness: str, formats: dict[str, str], tmp_path: Path):
    result = _run(harness, formats, tmp_path / "corpus")
    output = result.stdout + result.stderr
    crashes = [p.name for p in tmp_path.glob("crash-*")]
    assert result.returncode == 0 and not crashes, output[-4000:]
    assert "Done" in output and "INITED" in output
