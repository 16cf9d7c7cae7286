"""The integrations app's public API for other apps.

Other apps import this module and `porth.integrations.models`; nothing else of integrations.
Nothing needs more yet: the app listens to the signals of submissions and casework, and is
reached by departments' systems over HTTP (the REST API, /api/v1/) and by its webhooks.
"""

from .receivers import api_link

__all__ = ["api_link"]
