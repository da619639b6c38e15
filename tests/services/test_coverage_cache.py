"""Coverage is kept per domain, but only for domains that exist: made-up ``?domain=`` values
(anyone can send millions) must not grow a worker's memory."""

from __future__ import annotations

from flask import Flask

from glossary.services import browse
from glossary.services.actors import CLI
from glossary.services.terms import create_concept

# A domain no other test uses: the session's app keeps coverage across tests.
DOMAIN = "coverage-cache-test"


def test_only_real_domains_are_kept(app: Flask):
    with app.app_context():
        create_concept(CLI, domain=DOMAIN, terms=[{"lang": "en", "text": "database"}])
        from glossary.extensions import db

        db.session.commit()
        kept_before = len(browse._coverage_cache)
        for n in range(50):
            assert browse.coverage(f"no-such-domain-{n}").concepts == 0
        assert len(browse._coverage_cache) == kept_before
        assert browse.coverage(DOMAIN).concepts == 1
        assert len(browse._coverage_cache) == kept_before + 1
