"""The OpenAPI schema of every app generates without a warning and validates against OpenAPI 3."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text(encoding="utf-8"))["paths"]
    assert "/api/v1/deadlines/{id}/" in paths or "/api/v1/deadlines/{pk}/" in paths
    assert any(path.startswith("/api/v1/alerts/") for path in paths)
