"""The API's OpenAPI document is committed (docs/opendata-api.openapi.json): a change to the
actions Porth offers, or to their help, shows up in review. To accept a change, run this test
with PORTH_WRITE_OPENAPI=1 and commit the file it writes."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.test import Client

COMMITTED = Path(settings.PROJECT_DIR) / "docs" / "opendata-api.openapi.json"


def test_the_openapi_document_matches_the_committed_one(client: Client) -> None:
    served = client.get("/api/3/openapi.json").json()
    if os.environ.get("PORTH_WRITE_OPENAPI") == "1":
        COMMITTED.write_text(json.dumps(served, indent=2, sort_keys=True) + "\n")
    committed = json.loads(COMMITTED.read_text())
    assert served == committed, "the API changed: see this test's docstring"
    assert "/api/3/action/package_search" in served["paths"]
