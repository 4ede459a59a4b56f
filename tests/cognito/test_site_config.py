"""The site's /config.json holds together with the template it is generated from."""

from __future__ import annotations

from local_connect.cognito import LOCAL_CLIENT_ID
from local_connect.definitions import load_definitions
from local_connect.site_config import site_config


def test_each_issue_maps_to_a_queue_on_its_departments_hours() -> None:
    definitions = load_definitions()
    config = site_config(definitions, "http://127.0.0.1:8123/")
    by_name = {queue.name: queue for queue in definitions.queues.values()}
    hours_by_id = {hours.id: hours for hours in definitions.hours.values()}
    seen = []
    for department in config["departments"]:
        hours = hours_by_id[department["hoursOfOperationId"]]
        assert department["timeZone"] == hours.time_zone
        assert set(department["label"]) == {"en", "es"}
        for issue in department["issues"]:
            queue = by_name[issue["queueName"]]
            assert queue.hours_logical_id == hours.logical_id, issue
            assert set(issue["label"]) == {"en", "es"}
            seen.append(queue.logical_id)
    # Every queue of the template is reachable from the website, once.
    assert sorted(seen) == sorted(definitions.queues)


def test_urls_point_at_the_local_stack() -> None:
    definitions = load_definitions()
    config = site_config(definitions, "http://127.0.0.1:8123/")
    assert config["apiBase"] == "http://127.0.0.1:8123/api"
    assert config["auth"]["authority"] == "http://127.0.0.1:8123/cognito"
    assert config["auth"]["clientId"] == LOCAL_CLIENT_ID
    assert config["webIngressContactFlowId"] == definitions.flows["WebIngressFlow"].id
