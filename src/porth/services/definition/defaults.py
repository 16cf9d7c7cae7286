"""Porth's own templates, for the messages no service can do without, and which template an
event sends.

A citizen who saves a journey needs the link to come back; one asked for more information
needs the question and the link to reply; one a caseworker writes to needs the words. So these
are sent unless a definition's `notify` names its own template for the event. Written in
plain words, short, saying what to do and by when (GOV.UK style), in English and Welsh.
"""

from .models import Definition
from .templates import Email, Event, Sms, Template, Text


def _template(subject: Text, body: Text, sms: Text) -> Template:
    return Template(email=Email(subject=subject, body=body), sms=Sms(body=sms))


DEFAULTS: dict[str, Template] = {
    "saved_for_later": _template(
        Text(
            en="((service_name)): continue your application",
            cy="((service_name)): parhau â'ch cais",
        ),
        Text(
            en="""\
((service_name))

We have saved your answers.

To continue your application, use this link by ((return_by)):
((resume_link))

You can only use the link once. After ((return_by)) it will stop working and we will delete your answers.

Do not share the link. Anyone who has it can see your answers.""",
            cy="""\
((service_name))

Rydym wedi cadw eich atebion.

I barhau â'ch cais, defnyddiwch y ddolen hon erbyn ((return_by)):
((resume_link))

Dim ond unwaith y gallwch ddefnyddio'r ddolen. Ar ôl ((return_by)) bydd yn stopio gweithio a byddwn yn dileu eich atebion.

Peidiwch â rhannu'r ddolen. Gall unrhyw un sydd â hi weld eich atebion.""",
        ),
        Text(
            en="((service_name)): we have saved your answers. Continue by ((return_by)) "
            "using this link, which works once. Do not share it: ((resume_link))",
            cy="((service_name)): rydym wedi cadw eich atebion. Parhewch erbyn ((return_by)) "
            "gan ddefnyddio'r ddolen hon, sy'n gweithio unwaith yn unig. Peidiwch â'i "
            "rhannu: ((resume_link))",
        ),
    ),
    "information_requested": _template(
        Text(
            en="((service_name)): we need more information",
            cy="((service_name)): mae angen rhagor o wybodaeth arnom",
        ),
        Text(
            en="""\
Reference: ((reference))

We need more information before we can decide on your application.

((message))

Reply using this link by ((reply_by)):
((reply_link))

You can only use the link once. If you do not reply by ((reply_by)), we may have to decide without this information.""",
            cy="""\
Cyfeirnod: ((reference))

Mae angen rhagor o wybodaeth arnom cyn y gallwn benderfynu ar eich cais.

((message))

Atebwch gan ddefnyddio'r ddolen hon erbyn ((reply_by)):
((reply_link))

Dim ond unwaith y gallwch ddefnyddio'r ddolen. Os na fyddwch yn ateb erbyn ((reply_by)), efallai y bydd rhaid i ni benderfynu heb yr wybodaeth hon.""",
        ),
        Text(
            en="((service_name)), reference ((reference)): we need more information. "
            "((message)) Reply by ((reply_by)) using this link: ((reply_link))",
            cy="((service_name)), cyfeirnod ((reference)): mae angen rhagor o wybodaeth "
            "arnom. ((message)) Atebwch erbyn ((reply_by)) gan ddefnyddio'r ddolen hon: "
            "((reply_link))",
        ),
    ),
    "message": _template(
        Text(
            en="((service_name)): a message about your application",
            cy="((service_name)): neges am eich cais",
        ),
        Text(
            en="Reference: ((reference))\n\n((message))",
            cy="Cyfeirnod: ((reference))\n\n((message))",
        ),
        Text(
            en="((service_name)), reference ((reference)): ((message))",
            cy="((service_name)), cyfeirnod ((reference)): ((message))",
        ),
    ),
}


def template_for(definition: Definition, event: str) -> tuple[str, Template] | None:
    """The name and template sent for `event`: the definition's, or else Porth's own (named
    after the event), or None when nothing is sent."""
    for rule in definition.notify:
        if rule.when == event:
            template = definition.templates.get(rule.template)  # always there once checked
            return (rule.template, template) if template is not None else None
    default = DEFAULTS.get(event)
    return (event, default) if default is not None else None


def events_of(definition: Definition, name: str) -> set[Event]:
    """The events on which the definition sends template `name`."""
    return {rule.when for rule in definition.notify if rule.template == name}
