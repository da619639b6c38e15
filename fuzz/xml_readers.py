"""Atheris harness for the XML readers (TMX, TBX, Apertium bidix).

    python fuzz/xml_readers.py -max_total_time=60 CORPUS_DIR [SEED_DIR...]

A crash report means a reader raised something other than ImportFormatError.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz._harness import main

if __name__ == "__main__":
    main({"tmx": ".tmx", "tbx": ".tbx", "bidix": ".dix"})
