"""The demo provider's own pages (porth.signin.demo_provider): plain, accessible HTML.

They say plainly that this is a demo standing in for GOV.UK One Login, so that nobody takes
it for the real thing. One signs in by choosing a made-up citizen: there is no password.
"""

from html import escape

STYLE = """
body { font-family: Arial, sans-serif; font-size: 1.1875rem; line-height: 1.4; margin: 0;
  color: #0b0c0c; background: #fff; }
header { background: #0b0c0c; color: #fff; padding: 0.75rem 1rem; font-weight: bold; }
main { max-width: 40rem; padding: 1rem; }
.banner { border: 5px solid #1d70b8; padding: 0.75rem 1rem; margin-bottom: 1.5rem; }
.error { border: 5px solid #d4351c; padding: 0.75rem 1rem; margin-bottom: 1.5rem; }
.error a, .error-message { color: #d4351c; font-weight: bold; }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
legend { font-size: 1.5rem; font-weight: bold; margin-bottom: 0.5rem; }
.choice { margin-bottom: 0.75rem; }
.choice input { width: 1.5rem; height: 1.5rem; vertical-align: top; margin-right: 0.5rem; }
.hint { display: block; color: #484949; margin-left: 2rem; }
button { font-size: 1.1875rem; padding: 0.5rem 1rem; margin: 0 0.75rem 0.75rem 0;
  border: 2px solid #0b0c0c; background: #00703c; color: #fff; cursor: pointer; }
button.secondary { background: #f3f2f1; color: #0b0c0c; }
:focus { outline: 3px solid #fd0; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
"""

BANNER = (
    '<p class="banner"><strong>This is a demo.</strong> This page stands in for GOV.UK One '
    "Login while you try Porth on your own computer. Nobody here is real: choose a demo "
    "citizen to sign in as. There is no password.</p>"
)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)} – Demo sign-in (not GOV.UK One Login)</title>"
        f"<style>{STYLE}</style></head><body>"
        "<header>Demo sign-in provider (not GOV.UK One Login)</header>"
        f"<main>{body}</main></body></html>"
    )


def _who(person: dict[str, str]) -> str:
    return escape(f"{person['email']}, {person['phone_number']}")


def choose(people: list[dict[str, str]], query: str, error: bool = False) -> str:
    """Sign in as one of `people`, or cancel (the relying party hears access_denied)."""
    choices = "".join(
        f'<div class="choice"><input type="radio" name="person" id="person-{i}" '
        f'value="{escape(p["sub"])}" aria-describedby="person-{i}-hint">'
        f'<label for="person-{i}">{escape(p["name"])}</label>'
        f'<span class="hint" id="person-{i}-hint">{_who(p)}</span></div>'
        for i, p in enumerate(people)
    )
    problem = ""
    if error:
        problem = (
            '<div class="error" role="alert" aria-labelledby="error-title">'
            '<h2 id="error-title">There is a problem</h2>'
            '<p><a href="#person-0">Choose who to sign in as</a></p></div>'
        )
    described = ' aria-describedby="person-error"' if error else ""
    message = (
        '<p class="error-message" id="person-error">Choose who to sign in as</p>' if error else ""
    )
    body = (
        f"{problem}<h1>Sign in as a demo citizen</h1>{BANNER}"
        f'<form method="post" action="/authorize?{escape(query)}">'
        f"<fieldset{described}><legend>Who do you want to sign in as?</legend>{message}"
        f"{choices}</fieldset>"
        '<button type="submit" name="continue">Continue</button>'
        '<button type="submit" name="cancel" class="secondary">Cancel and go back</button>'
        "</form>"
    )
    return _page(("Error: " if error else "") + "Sign in as a demo citizen", body)


def home(people: list[dict[str, str]], signed_in: set[str], signed_out: bool = False) -> str:
    """Who is signed in here; signing someone out here signs them out of Porth too
    (back-channel logout), as One Login's "sign out of every service" would."""
    rows = "".join(
        f"<li>{escape(p['name'])} ({_who(p)}): "
        + (
            '<form method="post" action="/sign-out-everywhere" style="display:inline">'
            f'<input type="hidden" name="person" value="{escape(p["sub"])}">'
            f'<button type="submit" class="secondary">Sign {escape(p["name"])} out of '
            "every service</button></form>"
            if p["sub"] in signed_in
            else "not signed in"
        )
        + "</li>"
        for p in people
    )
    done = '<p class="banner" role="status">Signed out of every service.</p>' if signed_out else ""
    body = (
        f"<h1>Demo sign-in provider</h1>{done}{BANNER}"
        "<p>Sign in from a service in Porth: its start page has a button to sign in.</p>"
        f"<h2>Demo citizens</h2><ul>{rows}</ul>"
    )
    return _page("Demo sign-in provider", body)
