"""Route 53 responses that report gwlab's changes instead of moto's fixed ones."""

from __future__ import annotations

from typing import Any, cast

from moto.core.responses import ActionResult
from moto.route53.models import route53_backends
from moto.route53.responses import Route53

from gwlab.emulator.route53.models import Change, GwlabRoute53Backend


class GwlabRoute53Response(Route53):
    """moto's Route 53 handler; every ``ChangeInfo`` is a real, tracked change."""

    @property
    def backend(self) -> GwlabRoute53Backend:
        """The account's Route 53 backend (gwlab's class while the emulator is on)."""
        return cast(GwlabRoute53Backend, route53_backends[self.current_account][self.partition])

    def create_hosted_zone(self) -> ActionResult:
        """``CreateHostedZone``, reporting the zone's creation as a change."""
        result = super().create_hosted_zone()
        zone_id = _fields(result)["HostedZone"].resource_id
        return _with_change(result, self.backend.latest_change(zone_id))

    def delete_hosted_zone(self) -> ActionResult:
        """``DeleteHostedZone``, reporting the deletion as a change."""
        zone_id = self._get_param("Id")
        return _with_change(super().delete_hosted_zone(), self.backend.latest_change(zone_id))

    def change_resource_record_sets(self) -> ActionResult:
        """``ChangeResourceRecordSets`` with AWS's rules; returns the new change."""
        batch = self._get_param("ChangeBatch")
        change = self.backend.submit_change_batch(
            self._get_param("HostedZoneId"), batch["Changes"], comment=batch.get("Comment")
        )
        return ActionResult({"ChangeInfo": change.info()})

    def get_change(self) -> ActionResult:
        """``GetChange``: the change's status now, or ``NoSuchChange``."""
        return ActionResult({"ChangeInfo": self.backend.get_change(self._get_param("Id")).info()})


def _fields(result: ActionResult) -> dict[str, Any]:
    return cast(dict[str, Any], result.result)


def _with_change(result: ActionResult, change: Change) -> ActionResult:
    _fields(result)["ChangeInfo"] = change.info()
    return result
