"""Canonical tokens (statuses, match kinds, roles, parts of speech) reach the reader in their
own language, while forms keep posting the English tokens the services and the API know."""

from __future__ import annotations

import re

from glossary.extensions import db
from glossary.models import Term
from glossary.services.actors import CLI
from glossary.services.indexing import apply_pending
from glossary.services.terms import create_concept
from tests.web.page_helpers import new_client, post_form, sign_in_as, text


def option(html: str, value: str) -> str:
    """The visible label of the <option> whose value is ``value``."""
    found = re.search(rf'<option[^>]*value="{value}"[^>]*>([^<]*)</option>', html)
    assert found, f"no option {value}"
    return found.group(1)


def status_select(app, role: str, word: str, uselang: str):
    """A client signed in with ``role``, a concept, and its "Add a term" status <select>."""
    concept = create_concept(CLI, terms=[{"lang": "en", "text": word}])
    client = new_client(app)
    sign_in_as(client, role, role)
    html = text(client.get(f"/concepts/{concept.uid}?uselang={uselang}"))
    return client, concept, html.split('id="status"', 1)[1].split("</select>", 1)[0]


def test_moderators_status_choices_are_translated_and_post_the_english_token(app):
    client, concept, form = status_select(app, "moderator", "keyboard", "tr")
    assert option(form, "preferred") == "tercih edilen"
    assert option(form, "deprecated") == "kullanılmayan"
    assert ">preferred<" not in form
    # the Turkish page still posts the canonical token, and the term gets that status
    response = post_form(
        client,
        f"/concepts/{concept.uid}/terms",
        {"lang": "tr", "text": "klavye", "status": "preferred"},
        token_from=f"/concepts/{concept.uid}",
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Term.status).where(Term.text == "klavye")) == "preferred"


def test_editors_see_the_one_status_they_may_give_in_their_language(app):
    _client, _concept, form = status_select(app, "editor", "mouse", "kk")
    assert re.findall(r'value="(\w+)"', form) == ["proposed"]
    assert option(form, "proposed") == "ұсыныс"


def test_new_concept_form_labels_statuses_and_parts_of_speech(app):
    client = new_client(app)
    sign_in_as(client, "mod", "moderator")
    html = text(client.get("/concepts/new?uselang=kk"))
    assert option(html, "noun") == "зат есім" and option(html, "adj") == "сын есім"
    assert option(html, "rejected") == "қабылданбаған"


def test_search_page_translates_status_filter_and_match_kind(app):
    create_concept(
        CLI, terms=[{"lang": "en", "text": "computer"}, {"lang": "kk", "text": "компьютер"}]
    )
    apply_pending()
    client = new_client(app)
    html = text(client.get("/search?q=computer&uselang=tr"))
    status_filter = html.split('name="status"', 1)[1].split("</select>", 1)[0]
    assert option(status_filter, "admitted") == "kabul edilen"
    assert '<small class="match" data-match="exact">tam eşleşme</small>' in html
    other_script = text(client.get("/search?q=kompyuter&lang=kk"))  # uselang remembered
    assert '<small class="match" data-match="script">başka yazı</small>' in other_script


def test_concept_page_translates_the_part_of_speech(app):
    concept = create_concept(CLI, terms=[{"lang": "en", "text": "run", "pos": "verb"}])
    html = text(new_client(app).get(f"/concepts/{concept.uid}?uselang=ru"))
    assert '<small class="pos">глагол</small>' in html


def test_account_page_names_the_role_in_the_interface_language(app):
    client = new_client(app)
    sign_in_as(client, "boss", "admin")
    html = text(client.get("/account?uselang=kk"))
    assert '<span class="role" data-role="admin">әкімші</span>' in html
    client = new_client(app)
    sign_in_as(client, "reader", "viewer")
    html = text(client.get("/account?uselang=tr"))
    assert '<span class="role" data-role="viewer">okuyucu</span>' in html
