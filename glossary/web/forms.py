"""Flask-WTF forms: each carries the ``csrf_token`` field; labels are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from glossary.models import TERM_STATUSES
from glossary.web.labels import POS_LABELS, STATUS_LABELS, options

PARTS_OF_SPEECH = tuple(POS_LABELS)


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Create token"))


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Revoke"))


class UiLanguageForm(FlaskForm):
    ui_language = SelectField(_l("Interface language"), choices=[])
    submit = SubmitField(_l("Save"))


class TermForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=[], validators=[DataRequired()])
    text = StringField(_l("Term"), validators=[DataRequired(), Length(max=500)])
    pos = SelectField(
        _l("Part of speech"),
        choices=[SelectChoice("", "—"), *options(POS_LABELS, PARTS_OF_SPEECH)],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"), choices=options(STATUS_LABELS, TERM_STATUSES), validators=[Optional()]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add term"))


class ConceptForm(TermForm):
    domain = StringField(_l("Domain"), validators=[Optional(), Length(max=100)])
    definition = TextAreaField(_l("Definition"), validators=[Optional(), Length(max=4000)])
    wikidata = StringField(_l("Wikidata item"), validators=[Optional(), Length(max=20)])
    confirmed = HiddenField()  # set once the person has seen the similar concepts
    submit = SubmitField(_l("Create concept"))


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=4000)])
    submit = SubmitField(_l("Post comment"))


class MergeForm(FlaskForm):
    other = StringField(
        _l("Concept to merge into this one (its id or page address)"),
        validators=[DataRequired(), Length(max=500)],
    )
    submit = SubmitField(_l("Merge"))


class SplitForm(FlaskForm):
    # Choices are the concept's terms, filled in by the view; rendered as checkboxes.
    terms = SelectMultipleField(_l("Terms"), coerce=int, choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Split off"))
