"""The widgets, driven with Button.click() and read from their Output widgets."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from gwlab.lab import Lab
from gwlab.ui import DnsLookup, LessonPanel, RequestTracer, StepCard

from support import fresh_python


@pytest.fixture
def lab(tmp_path: Path, kernel_session: None) -> Lab:
    return Lab("01", progress=tmp_path / "progress.json")


def html_of(output: Any) -> str:
    """Everything an Output widget shows, as HTML/text."""
    parts = []
    for item in output.outputs:
        data = item.get("data", {})
        parts.append(data.get("text/html") or data.get("text/plain") or "")
    return "\n".join(parts)


def card(panel: LessonPanel, step: str) -> StepCard:
    return next(c for c in panel.cards if c.step.id == step)


def test_clicking_run_passes_the_step_and_fills_the_table(lab: Lab) -> None:
    panel = LessonPanel(lab)
    assert len(panel.cards) == len(lab.steps)
    assert "not run" in card(panel, "deploy_function").badge.value
    card(panel, "deploy_function").run_button.click()
    deploy = card(panel, "deploy_function")
    assert "✔ passed" in deploy.badge.value and "status: passed" in deploy.badge.value
    assert "Deployed gwlab-items" in html_of(deploy.output)
    assert panel.progress.value == 1
    assert panel.progress_text.value == f"1 of {len(lab.steps)} steps passed"
    table = html_of(panel.table)
    assert "deploy_function" in table and "passed" in table and "duration" not in table


def test_a_bad_field_shows_one_line_and_runs_nothing(lab: Lab) -> None:
    panel = LessonPanel(lab)
    deploy = card(panel, "deploy_function")
    deploy.fields[0].input.value = "def handler(event, context:\n"
    deploy.run_button.click()
    assert "invalid" in deploy.badge.value
    error = deploy.fields[0].error.value
    assert "role='alert'" in error and "line 1" in error
    assert lab.last("deploy_function") is None  # nothing ran, nothing recorded
    deploy.fields[0].input.value = deploy.step.params[0].default_text()
    deploy.run_button.click()
    assert "passed" in deploy.badge.value and deploy.fields[0].error.value == ""


def test_out_of_order_offers_to_run_the_prerequisites(lab: Lab) -> None:
    panel = LessonPanel(lab)
    quick = card(panel, "quick_create")
    assert quick.prerequisites_button.layout.display == "none"
    quick.run_button.click()
    assert "blocked" in quick.badge.value
    assert "run 01-default-stage/deploy_function first" in html_of(quick.output)
    assert quick.prerequisites_button.layout.display == ""
    quick.prerequisites_button.click()
    assert "passed" in quick.badge.value
    assert quick.prerequisites_button.layout.display == "none"


def test_verify_button_checks_without_running(lab: Lab) -> None:
    panel = LessonPanel(lab)
    quick = card(panel, "quick_create")
    quick.verify_button.click()
    assert "failed" in quick.badge.value
    assert "no api id yet" in html_of(quick.output)
    quick.prerequisites_button.click()  # hidden but harmless
    quick.verify_button.click()
    assert "passed" in quick.badge.value


def test_the_cli_line_is_shown_and_fills_in_ids(lab: Lab) -> None:
    panel = LessonPanel(lab)
    quick = card(panel, "quick_create")
    assert "aws apigatewayv2 create-api" in quick.text.value
    assert "&lt;function-arn&gt;" in quick.text.value
    quick.prerequisites_button.click()
    assert "function:gwlab-items" in quick.text.value


def test_request_tracer_draws_the_hops(lab: Lab) -> None:
    lab.run("quick_create", with_prerequisites=True)
    api_id = lab.last("quick_create").resources["api_id"]  # type: ignore[union-attr]
    tracer = RequestTracer(lab.env, url=f"https://{api_id}.execute-api.us-east-1.amazonaws.com/x")
    response = tracer.send_button.click() or tracer.send()
    assert response is not None and response.status == 200
    shown = html_of(tracer.output)
    assert "Request trace" in shown and "route $default" in shown
    tracer.url.value = "not a url"
    tracer.send_button.click()
    assert "not a full http(s) URL" in html_of(tracer.output)
    tracer.url.value = "https://nowhere.example.com/"
    tracer.send_button.click()
    assert "no API or custom domain name answers" in html_of(tracer.output)


def test_request_tracer_sends_a_preflight(lab: Lab) -> None:
    tracer = RequestTracer(lab.env)
    tracer.origin.value = "https://example.com"
    tracer.preflight.value = True
    assert tracer.headers() == {
        "Origin": "https://example.com",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    tracer.origin.value = "  "  # no origin filled in: no Origin header, preflight or not
    assert tracer.headers() == {
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    tracer.preflight.value = False
    assert tracer.headers() == {}


def test_dns_lookup_answers_like_dig(lab: Lab) -> None:
    route53 = lab.env.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="t")["HostedZone"]
    route53.change_resource_record_sets(
        HostedZoneId=zone["Id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "www.example.com",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "192.0.2.7"}],
                    },
                }
            ]
        },
    )
    lookup = DnsLookup(lab.env, name="www.example.com")
    lookup.lookup_button.click()
    assert "192.0.2.7" in html_of(lookup.output)
    lookup.name.value = "missing.example.com"
    assert "NXDOMAIN" in lookup.lookup()
    lookup.name.value = "example.org"
    assert "REFUSED" in lookup.lookup()


def test_widgets_label_their_controls(lab: Lab) -> None:
    panel = LessonPanel(lab)
    for c in panel.cards:
        for field in c.fields:
            assert field.input.description
        assert c.run_button.tooltip and c.verify_button.tooltip
    tracer = RequestTracer(lab.env)
    assert tracer.url.description == "URL" and tracer.method.description == "Method"


def test_a_card_is_a_dozen_widget_models_and_needs_no_dns_resolver(tmp_path: Path) -> None:
    """Each model is a message to the browser; a card used to be thirty-eight of them."""
    script = (
        "import sys, gwlab\n"
        f"lab = gwlab.Lab('01', progress={str(tmp_path / 'progress.json')!r})\n"
        "lab.card('quick_create')\n"
        "from ipywidgets.widgets.widget import _instances\n"
        "before = len(_instances)\n"
        "lab.card('call_default_stage')\n"
        "print(len(_instances) - before, 'dns.resolver' in sys.modules)\n"
    )
    [shown] = fresh_python(script)
    models, resolver = shown.split()
    assert int(models) <= 12 and resolver == "False"


def button(box: Any) -> widgets.Button:
    """The one button inside ``box`` (at any depth)."""
    for child in box.children:
        if isinstance(child, widgets.Button):
            return child
        if isinstance(child, widgets.Box):
            with contextlib.suppress(StopIteration):
                return button(child)
    raise StopIteration


def test_the_lab_tracer_and_dns_lookup_follow_a_reset(tmp_path: Path, kernel_session: None) -> None:
    """Widgets drawn before another Lab's reset ask the kernel's new environment."""
    lab = Lab("02", progress=tmp_path / "progress.json")
    url = lab.url("/items")
    tracer, lookup = lab.tracer(url), lab.dns_lookup("api.example.com")
    old = lab.env
    Lab("02", progress=tmp_path / "progress.json").reset()
    assert old.closed and lab.env is not old
    button(tracer).click()
    shown = html_of(tracer.children[-1])
    assert "superseded" not in shown and "200" in shown, shown[:400]
    button(lookup).click()
    answer = html_of(lookup.children[-1])
    assert "superseded" not in answer and "closed" not in answer, answer[:400]


def test_a_card_shows_the_steps_own_refusals_under_the_field(
    tmp_path: Path, kernel_session: None
) -> None:
    """A blank required field and a value the step refuses while running: under the field."""
    lab = Lab("05", progress=tmp_path / "progress.json")
    assert lab.run("map_root").passed and lab.run("map_v1").passed
    card = StepCard(lab, lab.lesson.step("map_multi_level"))
    key = next(f for f in card.fields if f.param.name == "mapping_key")
    key.input.value = "  "
    assert card.run() is None and "invalid" in card.badge.value
    assert "a value is required (the lesson uses orders/v1)" in key.error.value
    assert card.output.outputs == () and lab.last("map_multi_level") is None  # nothing ran
    key.input.value = "v1"  # map_v1's mapping, to prod: this step would re-point it to dev
    refused = card.run()
    assert refused is not None and refused.status == "invalid", refused
    assert "v1 is step map_v1&#x27;s mapping" in key.error.value, key.error.value
    assert "role='alert'" in key.error.value and lab.last("map_multi_level") is None
    key.input.value = "orders/v1"
    done = card.run()
    assert done is not None and done.passed and key.error.value == ""
