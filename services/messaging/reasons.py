"""Provider error codes in words a coordinator understands."""

from django.utils.translation import gettext_lazy as _

# Codes after which the number itself is wrong: flag it on the person's record.
BAD_NUMBER_CODES = frozenset({"21211", "21614", "30005", "30006"})
UNSUBSCRIBED_CODES = frozenset({"21610"})

REASONS = {
    "21211": _("Not a valid phone number."),
    "21614": _("Not a mobile number: it cannot receive SMS."),
    "21610": _("The person replied STOP: the provider blocks messages to this number."),
    "21408": _("Sending to this country is not allowed on our account."),
    "20429": _("The provider was busy (too many requests)."),
    "429": _("The provider was busy (too many requests)."),
    "30003": _("The phone is switched off or out of reach."),
    "30004": _("The number blocks messages."),
    "30005": _("Unknown number, or no longer in service."),
    "30006": _("A landline, or a network that cannot take SMS."),
    "30007": _("Blocked by the phone network as spam."),
    "30008": _("The network did not say why."),
    "timeout": _("The provider did not answer in time."),
    "connection": _("Could not reach the provider."),
    "no_answer": _("The provider never confirmed this message."),
    "given_up": _("The provider never confirmed it, and a coordinator chose not to resend it."),
    "no_consent": _("The person has not agreed to SMS (or has no phone)."),
    "opted_out": _("The person stopped messages."),
    "unreachable": _(
        "The volunteer's account is not in use, they stopped SMS, or there is no "
        "address for their channel."
    ),
    "email_refused": _("The mail server refused this address."),
    "email": _("Could not hand the e-mail to the mail server."),
}


def reason_in_words(code: str, provider_text: str = "") -> str:
    if code in REASONS:
        return str(REASONS[code])
    if code.startswith("5"):
        return str(_("The provider had a fault."))
    return provider_text or code
