"""The headers of a browser's CORS preflight, as the lesson, the tracer and lab.preflight send."""

from __future__ import annotations

from gwlab.gateway.cors import preflight_headers


def test_preflight_headers_are_a_browser_s_before_a_json_request() -> None:
    assert preflight_headers("https://example.com") == {
        "Origin": "https://example.com",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    assert preflight_headers("https://example.com", "DELETE", ()) == {
        "Origin": "https://example.com",
        "Access-Control-Request-Method": "DELETE",
    }
    assert preflight_headers("http://x", request_headers=("content-type", "authorization"))[
        "Access-Control-Request-Headers"
    ] == ("content-type,authorization")
