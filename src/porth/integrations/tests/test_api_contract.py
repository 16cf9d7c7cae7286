"""The API's OpenAPI document is committed (docs/integrations-api.openapi.json): a change to
what departments' systems may rely on shows up in review. To accept a change, run this test
with PORTH_WRITE_OPENAPI=1 and commit the file it writes."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.test import Client

COMMITTED = Path(settings.PROJECT_DIR) / "docs" / "integrations-api.openapi.json"


def test_the_openapi_document_matches_the_committed_one(client: Client) -> None:
    served = client.get("/api/v1/openapi.json").json()
    if os.environ.get("PORTH_WRITE_OPENAPI") == "1":
        COMMITTED.write_text(json.dumps(served, indent=2, sort_keys=True) + "\n")
    committed = json.loads(COMMITTED.read_text())
    assert served == committed, "the API changed: see this test's docstring"
    assert set(served["paths"]) == {
        "/api/v1/submissions",
        "/api/v1/submissions/{reference}",
        "/api/v1/cases",
        "/api/v1/cases/{reference}",
        "/api/v1/cases/{reference}/actions",
    }
