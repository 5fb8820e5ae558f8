"""A learner's ``gwlab.start()`` and the Labs of one kernel share one environment.

The Lab adopts the environment the learner opened, and every Lab asks for the
kernel's current environment each time it acts: after another Lab's ``reset()``
or a new ``gwlab.start()`` all of them follow it, rebuilding earlier lessons.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gwlab
from gwlab.lab import Lab

NEW_ENVIRONMENT = "This kernel has a new environment"


def test_a_lab_adopts_the_learners_env(tmp_path: Path, kernel_session: None) -> None:
    with gwlab.start() as env:
        lab = Lab("01-default-stage", progress=tmp_path / "progress.json")
        assert lab.env is env and not env.closed
        assert env.client("apigatewayv2").get_apis()["Items"] == []  # still usable
        assert lab.run("deploy_function").passed
        assert lab.run("quick_create").passed
        names = [api["Name"] for api in env.client("apigatewayv2").get_apis()["Items"]]
        assert names == ["gwlab-items-api"]  # the learner's env sees what the lab built
        assert lab.notices == []


def test_two_labs_keep_working_after_either_resets(tmp_path: Path, kernel_session: None) -> None:
    progress = tmp_path / "progress.json"
    with gwlab.start() as env:
        first = Lab("01-default-stage", progress=progress)
        assert first.run("deploy_function").passed and first.run("quick_create").passed
        second = Lab("02-stages", progress=progress)
        assert second.env is env and second.notices == []
        assert second.run("create_stage").passed

        first.reset()
        assert first.env is not env and not first.env.closed
        with pytest.raises(gwlab.EnvClosedError, match="superseded") as closed:
            env.client("apigatewayv2").get_apis()
        assert "start a new one with gwlab.start()" in str(closed.value)

        # The other Lab follows the new environment: lessons 0-1 rebuilt, its step runs.
        again = second.run("create_stage")
        assert again.passed, repr(again)
        assert second.env is first.env
        assert [n for n in second.notices if n.startswith(NEW_ENVIRONMENT)] == [
            "This kernel has a new environment (a gwlab.start() or a Lab's reset()): "
            "earlier lessons were rebuilt in it; run this lesson's steps again."
        ]
        called = first.run("call_default_stage")  # rebuilt for the other Lab, in the same env
        assert called.passed, repr(called)

        second.reset()  # and the other way round
        assert first.run("call_default_stage").passed
        assert second.run("create_stage").passed
        assert first.env is second.env


def test_every_lab_follows_the_learners_new_start(tmp_path: Path, kernel_session: None) -> None:
    progress = tmp_path / "progress.json"
    with gwlab.start() as env:
        stages = Lab("02-stages", progress=progress)
        mappings = Lab("05-api-mappings", progress=progress)
        assert stages.env is env and mappings.env is env
        assert mappings.run("map_root").passed
        env.client("apigatewayv2").create_stage(
            ApiId=stages.ids["api_id"], StageName="staging", AutoDeploy=True
        )
        assert stages.check("staging_stage").passed  # both Labs see the learner's stage

    # The learner follows the advice of the closed env: a new gwlab.start().
    with gwlab.start() as renewed:
        assert mappings.env is renewed and stages.env is renewed
        mapped = mappings.run("map_root")  # lessons 0-4 rebuilt in the empty environment
        assert mapped.passed, repr(mapped)
        assert mappings.run("map_v1").passed
        checked = stages.verify("auto_deploy_dev")  # rebuilt for lesson 05, seen by 02
        assert checked.passed, repr(checked)
        for lab in (stages, mappings):
            assert any(n.startswith(NEW_ENVIRONMENT) for n in lab.notices), lab.notices
        assert renewed.client("apigatewayv2").get_domain_names()["Items"]


def test_a_lab_follows_when_the_learner_closes_the_env(
    tmp_path: Path, kernel_session: None
) -> None:
    gwlab.start()
    lab = Lab("01-default-stage", progress=tmp_path / "progress.json")
    env = lab.env
    env.close()  # the learner's env.close(): the kernel's env is gone
    result = lab.run("deploy_function")  # a fresh environment, not a closed one
    assert result.passed, repr(result)
    assert lab.env is not env and not lab.env.closed


def test_a_lab_asked_for_another_kind_uses_the_open_env_and_says_so(
    tmp_path: Path, kernel_session: None
) -> None:
    progress = tmp_path / "progress.json"
    with gwlab.start("embedded") as env:
        lab = Lab("00-welcome", backend="server", progress=progress)
        assert lab.env is env and not env.closed
        assert lab.notices == [
            "This Lab was asked for the server backend, but this kernel's environment is "
            "embedded (one emulated AWS per process): the lab works in it rather than close "
            "it; gwlab.start('server') switches every Lab."
        ]
        with gwlab.start("server") as server:  # what the notice advises
            assert lab.env is server
            assert lab.run("check_backend").passed


def test_a_reset_keeps_the_kind_and_region_of_the_env(tmp_path: Path, kernel_session: None) -> None:
    with gwlab.start("embedded", region="eu-west-1", seed=7) as env:
        lab = Lab("00-welcome", progress=tmp_path / "progress.json")
        lab.reset()
        assert env.closed and lab.env is not env
        assert (lab.env.backend, lab.env.region, lab.env.seed) == ("embedded", "eu-west-1", 7)


def test_when_no_new_env_can_start_a_step_says_so_instead_of_raising(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_session: None
) -> None:
    from gwlab.errors import RealAwsNotAllowed
    from gwlab.lab import session

    lab = Lab("01-default-stage", progress=tmp_path / "progress.json")
    lab.env.close()

    def refuse(*args: object, **options: object) -> gwlab.LabEnv:
        raise RealAwsNotAllowed("gwlab did not start")

    monkeypatch.setattr(session, "start", refuse)
    result = lab.run("deploy_function")
    assert result.status == "failed", repr(result)
    assert result.message.startswith("this gwlab environment is closed (closed with env.close())")
