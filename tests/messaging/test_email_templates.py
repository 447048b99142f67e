from services.messaging.email_templates import EMAILS, email_render
from services.messaging.sms_templates import TEMPLATES, Kind

from .test_templates import SAMPLE


def test_every_email_has_a_subject_a_body_and_its_kinds_values():
    for kind in EMAILS:
        rendered = email_render(kind, "en", SAMPLE)
        assert rendered.subject and "\n" not in rendered.subject
        for param in TEMPLATES[kind].params:
            assert SAMPLE[param] in rendered.subject + rendered.body, (kind, param)


def test_an_email_with_no_translation_yet_falls_back_along_the_chain_to_english():
    rendered = email_render(Kind.INVITATION, "ckb", SAMPLE)
    assert rendered.language in ("ckb", "ar", "en")
    assert SAMPLE["link"] in rendered.body
