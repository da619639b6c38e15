"""Tamyr's two Whoosh writer fixes (glossary/search/whoosh_tuning.py) change speed, not the
index: a build large enough to spill its posting pool to disk in runs reads back exactly."""

from __future__ import annotations

import random
from pathlib import Path

import whoosh
from whoosh import index
from whoosh.fields import ID, KEYWORD, STORED, Schema
from whoosh.writing import PostingPool

import glossary.search.whoosh_backend  # noqa: F401  (applies the fixes, as the app does)
from glossary.search.whoosh_tuning import TUNED_RELEASE


def test_the_fixes_are_applied_on_the_pinned_release():
    assert whoosh.__version__ == TUNED_RELEASE, "pyproject pins whoosh-reloaded exactly"
    assert PostingPool._tamyr_tuned


def test_a_build_that_spills_runs_to_disk_reads_back_every_posting(tmp_path: Path):
    rng = random.Random(5)
    words = [f"w{n}" for n in range(3000)]
    docs = {str(n): sorted(set(rng.sample(words, 30))) for n in range(4000)}
    schema = Schema(id=ID(stored=True, unique=True), words=KEYWORD, payload=STORED)
    built = index.create_in(str(tmp_path), schema)
    # 1 MB of pool: 120,000 postings go to disk in several runs, merged back at commit.
    writer = built.writer(limitmb=1)
    for doc_id, doc_words in docs.items():
        writer.add_document(id=doc_id, words=" ".join(doc_words), payload=len(doc_words))
    writer.commit()

    expected: dict[str, set[str]] = {}
    for doc_id, doc_words in docs.items():
        for word in doc_words:
            expected.setdefault(word, set()).add(doc_id)
    with built.searcher() as searcher:
        assert searcher.doc_count() == len(docs)
        stored = {fields["id"]: fields["payload"] for fields in searcher.all_stored_fields()}
        assert stored == {doc_id: len(words) for doc_id, words in docs.items()}
        reader = searcher.reader()
        for word, ids in expected.items():
            found = {
                searcher.stored_fields(n)["id"] for n in reader.postings("words", word).all_ids()
            }
            assert found == ids, word
