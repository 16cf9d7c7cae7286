"""The class of device a journey was made on, from its User-Agent header: mobile, tablet,
desktop or other (bots, scripts, and anything not recognised).

Only the header the browser sends anyway is read: no fingerprinting, no script, no cookie.
The browser, operating system and device are recognised by ua-parser with uap-core's rules
(the ones Browserscope and most analytics tools share), kept up to date by upgrading the
`ua-parser-builtins` package; this module only maps what it finds onto the four classes,
which uap-core does not name. Classification takes a fraction of a millisecond with
google-re2, and each distinct header is classified once per process (`classify` is cached).
"""

import functools

import ua_parser

MOBILE = "mobile"
TABLET = "tablet"
DESKTOP = "desktop"
OTHER = "other"
CLASSES = (MOBILE, TABLET, DESKTOP, OTHER)

# A real header is a few hundred characters; what makes the class is at its start. Longer
# ones are cut, so a crafted header can neither slow the parse nor fill the cache.
MAX_LENGTH = 512

# Operating systems only found on phones and tablets (which of the two: see `_handheld`).
_HANDHELD_OS = frozenset(
    {
        "Android",
        "iOS",
        "iPadOS",
        "Windows Phone",
        "BlackBerry OS",
        "BlackBerry Tablet OS",
        "KaiOS",
        "Firefox OS",
        "Symbian OS",
        "Tizen",
        "Sailfish",
        "HarmonyOS",
        "webOS",
        "Maemo",
    }
)
_DESKTOP_OS = frozenset(
    {
        "Windows",
        "Mac OS X",
        "Linux",
        "Ubuntu",
        "Debian",
        "Fedora",
        "Red Hat",
        "SUSE",
        "openSUSE",
        "Mint",
        "Arch Linux",
        "Gentoo",
        "Mandriva",
        "Chrome OS",
        "FreeBSD",
        "OpenBSD",
        "NetBSD",
        "Solaris",
    }
)
# Browsers that no person drives: automated testing and page renderers.
_AUTOMATED = ("Headless", "PhantomJS", "Electron", "Puppeteer", "Playwright", "Selenium")


@functools.lru_cache(maxsize=4096)
def classify(user_agent: str) -> str:
    """mobile, tablet, desktop or other, for the value of a User-Agent header."""
    user_agent = user_agent[:MAX_LENGTH]
    if not user_agent.strip():
        return OTHER
    found = ua_parser.parse(user_agent)
    device, os, browser = found.device, found.os, found.user_agent
    if device is not None and device.family == "Spider":  # uap-core's word for every bot
        return OTHER
    if browser is not None and any(word in browser.family for word in _AUTOMATED):
        return OTHER
    if os is None:
        return OTHER
    if os.family in _HANDHELD_OS:
        return _handheld(user_agent, device)
    if os.family in _DESKTOP_OS:
        return DESKTOP
    return OTHER


def _handheld(user_agent: str, device: ua_parser.Device | None) -> str:
    """A phone or a tablet. iPads, and the tablets uap-core knows by model, say so; other
    Android tablets leave "Mobile" out of the header, as Google asks tablet browsers to
    (phones' browsers put it in)."""
    family = device.family if device is not None else ""
    brand = (device.brand or "") if device is not None else ""
    if family == "iPad" or "Tablet" in brand or "Tablet" in family or "Kindle" in family:
        return TABLET
    if "Android" in user_agent and "Mobile" not in user_agent:
        return TABLET
    return MOBILE
