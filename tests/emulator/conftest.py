"""Fixtures the emulator tests share (on top of tests/conftest.py's ``env`` and ``apigw``)."""

from __future__ import annotations

from typing import Any

import pytest

from support import FUNCTION_ARN


@pytest.fixture
def api_id(apigw: Any) -> str:
    """A quick-created API with a ``prod`` stage, in each backend ``apigw`` runs on."""
    api_id: str = apigw.create_api(Name="q", ProtocolType="HTTP", Target=FUNCTION_ARN)["ApiId"]
    apigw.create_stage(ApiId=api_id, StageName="prod")
    return api_id
