"""Step cards show the boto3 code with the real values, and after a run the AWS calls made.

Driven with ``Button.click()``; read from the card's HTML widget and its Output widget.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from gwlab.lab import Lab
from gwlab.lab.calls import Blob, Call
from gwlab.lab.render import brief, calls_html
from gwlab.ui import LessonPanel, StepCard

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def html_of(output: object) -> str:
    parts = []
    for item in output.outputs:  # type: ignore[attr-defined]
        data = item.get("data", {})
        parts.append(data.get("text/html") or data.get("text/plain") or "")
    return "\n".join(parts)


def card(lab: Lab, step: str) -> StepCard:
    return next(c for c in LessonPanel(lab).cards if c.step.id == step)


def code_blocks(text: str) -> dict[str, str]:
    """The card's code blocks by their summary, unescaped, as a learner would copy them."""
    found = re.findall(r"<summary>([^<]*)</summary><pre[^>]*><code>(.*?)</code></pre>", text, re.S)
    return {summary: html.unescape(code) for summary, code in found}


@pytest.fixture
def lab(tmp_path: Path, kernel_session: None) -> Lab:
    return Lab("02", progress=tmp_path / "progress.json")


def test_before_a_run_the_card_shows_the_boto3_code_of_its_cli_line(lab: Lab) -> None:
    api_id = lab.ids["api_id"]  # lesson 1 rebuilt
    shown = card(lab, "create_stage")
    assert shown.text.value.startswith(
        "<h4 style='margin:0.2em 0'>Create the prod stage <code>create_stage</code></h4>"
    )
    blocks = code_blocks(shown.text.value)
    assert blocks == {
        "AWS CLI equivalent": (
            f"aws apigatewayv2 create-stage --api-id {api_id} --stage-name prod --region us-east-1"
        ),
        "boto3 code (what Run sends)": (
            "apigatewayv2 = lab.env.client('apigatewayv2')\n"
            f"apigatewayv2.create_stage(ApiId='{api_id}', StageName='prod')"
        ),
    }
    assert "<div class='gwlab-code mathjax_ignore'><details>" in shown.text.value


def test_after_a_run_the_card_shows_the_code_it_sent_and_its_api_calls(lab: Lab) -> None:
    api_id = lab.ids["api_id"]
    shown = card(lab, "create_stage")
    shown.run_button.click()
    assert "passed" in shown.badge.value
    code = code_blocks(shown.text.value)["boto3 code (what Run sent)"]
    assert code == (
        "apigatewayv2 = lab.env.client('apigatewayv2')\n"
        f"apigatewayv2.get_stages(ApiId='{api_id}')\n"
        f"apigatewayv2.create_stage(ApiId='{api_id}', StageName='prod')"
    )
    compile(code, "card", "exec")
    output = html_of(shown.output)
    assert "<summary>API calls (2)</summary>" in output
    calls = output[output.index("<details class='gwlab-calls mathjax_ignore'>") :]
    assert calls.index("apigatewayv2.get_stages") < calls.index("apigatewayv2.create_stage")
    assert f"ApiId=&#x27;{api_id}&#x27;, StageName=&#x27;prod&#x27;" in calls
    assert "&#x27;StageName&#x27;: &#x27;prod&#x27;" in calls  # the response
    assert "ResponseMetadata" not in calls and "HTTPHeaders" not in calls
    # Verify makes no recorded call: its output has no list, and the code stays.
    shown.verify_button.click()
    assert "API calls" not in html_of(shown.output)
    assert "boto3 code (what Run sent)" in shown.text.value


def test_an_aws_error_shows_its_code_in_the_api_calls(tmp_path: Path, kernel_session: None) -> None:
    lab = Lab("03", progress=tmp_path / "progress.json")
    lab.run("set_prod_variables", with_prerequisites=True)
    shown = card(lab, "not_for_secrets")
    shown.run_button.click()
    output = html_of(shown.output)
    assert "<summary>API calls (1)</summary>" in output
    calls = output[output.index("gwlab-calls") :]
    assert "apigatewayv2.update_stage" in calls
    assert "error <code>BadRequestException</code></span> Invalid stage variable value" in calls


def test_a_call_to_another_region_names_it(tmp_path: Path, kernel_session: None) -> None:
    lab = Lab("04", progress=tmp_path / "progress.json")
    lab.run("request_certificate")
    shown = card(lab, "wrong_region")
    shown.run_button.click()
    output = html_of(shown.output)
    calls = output[output.index("gwlab-calls") :]
    rows = calls.split("<tr>")[2:]
    assert [("(us-west-2)" in row, "BadRequestException" in row) for row in rows] == [
        (True, False),  # ListCertificates in us-west-2
        (True, False),  # RequestCertificate in us-west-2
        (False, True),  # CreateDomainName in the lab's region, refused
    ]
    assert "Certificate must be in" in rows[-1]


def test_a_placeholder_line_shows_only_the_cli_until_the_run_records_the_calls(lab: Lab) -> None:
    lab.run("deploy_stage", with_prerequisites=True)
    shown = card(lab, "add_route")
    before = code_blocks(shown.text.value)
    assert (
        list(before) == ["AWS CLI equivalent"]
        and "<integration-id>" in before["AWS CLI equivalent"]
    )
    assert "rror" not in shown.text.value  # no complaint about the placeholder
    shown.run_button.click()
    after = code_blocks(shown.text.value)["boto3 code (what Run sent)"]
    integration = lab.env.client("apigatewayv2").get_integrations(ApiId=lab.ids["api_id"])
    target = f"integrations/{integration['Items'][0]['IntegrationId']}"
    assert "apigatewayv2.create_route(" in after and repr(target) in after
    assert "<summary>API calls (3)</summary>" in html_of(shown.output)


def test_a_step_that_calls_no_aws_shows_no_code_and_no_calls(
    tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab("01", progress=tmp_path / "progress.json")
    lab.run("quick_create", with_prerequisites=True)
    shown = card(lab, "call_default_stage")
    assert list(code_blocks(shown.text.value)) == ["AWS CLI equivalent"]
    shown.run_button.click()
    assert "passed" in shown.badge.value
    assert list(code_blocks(shown.text.value)) == ["AWS CLI equivalent"]
    assert "API calls" not in html_of(shown.output)


def test_dollar_signs_in_code_sit_inside_the_mathjax_ignore_container(
    tmp_path: Path, kernel_session: None
) -> None:
    lab = Lab("05", progress=tmp_path / "progress.json")
    shown = card(lab, "map_root")
    shown.run_button.click()
    text = shown.text.value
    ignored = text[text.index("mathjax_ignore") :]
    assert text.count("$default") - ignored.count("$default") == 1  # the title only
    assert "Stage='$default'" in code_blocks(text)["boto3 code (what Run sent)"]
    output = html_of(shown.output)
    calls = output[output.index("<details class='gwlab-calls mathjax_ignore'>") :]
    assert "Stage=&#x27;$default&#x27;" in calls


def test_the_cards_plain_text_repr_is_the_one_stored_in_the_notebook(lab: Lab) -> None:
    """nbval compares a card's text/plain: the new code must not change it."""
    notebook = json.loads((NOTEBOOKS / "02_stages.ipynb").read_text())
    stored = next(
        "".join(output["data"]["text/plain"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and "".join(cell["source"]) == 'lab.card("create_stage")'
        for output in cell["outputs"]
        if "text/plain" in output.get("data", {})
    )
    bundle = lab.card("create_stage")._repr_mimebundle_()
    assert bundle["text/plain"] == stored


def test_long_values_are_cut_and_the_list_says_how_many_more() -> None:
    assert brief("x" * 200) == repr("x" * 79) + "…"
    assert brief(list(range(6))) == "[0, 1, 2, 3, … 2 more]"
    assert brief({"a": {"b": {"c": {"d": 1}}}}) == "{'a': {'b': {'c': {…}}}}"
    assert brief({f"k{i}": i for i in range(12)}).endswith("'k9': 9, … 2 more}")
    assert brief(Blob("zip", 1234)) == "<zip, 1,234 bytes>"
    shown = calls_html(
        [
            Call(
                "apigatewayv2",
                "GetApis",
                {},
                {"Items": [{"Name": "n" * 300, "ApiId": str(i)} for i in range(9)]},
                region="us-east-1",
            )
        ]
    )
    assert "… 5 more" in shown and "n" * 100 not in shown
    assert calls_html([]) == ""
