"""Templates look the interface catalogue up once per request, yet follow a locale change."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale


def test_strings_follow_forced_locales_within_one_request(app: Flask):
    template = "{{ _('Search') }}"
    with app.test_request_context("/?uselang=kk"):
        kazakh = render_template_string(template)
        with force_locale("tr"):
            turkish = render_template_string(template)
        again = render_template_string(template)
    assert kazakh == again == "Іздеу"
    assert turkish == "Ara"
