"""
The Compose file and the Kubernetes overlays, validated offline (deploy/validate.py): the
overlays rendered by kustomize and checked against the Kubernetes schemas and fieldapp's
rules, the Compose file against the Compose specification. Each check is shown to refuse
a broken file too.
"""

import copy

import pytest
import yaml

from deploy import validate

OVERLAYS = sorted(p for p in validate.OVERLAYS.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return {overlay.name: validate.kustomize(overlay) for overlay in OVERLAYS}


def test_there_are_the_single_camp_and_several_camps_overlays():
    assert [p.name for p in OVERLAYS] == ["several-camps", "single-camp"]


@pytest.mark.parametrize("overlay", [p.name for p in OVERLAYS])
def test_each_overlay_matches_the_kubernetes_schemas_and_fieldapps_rules(rendered, overlay):
    objects = rendered[overlay]
    assert list(validate.schema_errors(objects)) == []
    assert list(validate.fieldapp_rule_errors(objects)) == []


def test_the_overlays_differ_where_they_should(rendered):
    def web_autoscaler(overlay: str) -> dict:
        return validate.by_kind(rendered[overlay], "HorizontalPodAutoscaler")["fieldapp-web"]

    assert (
        web_autoscaler("several-camps")["spec"]["maxReplicas"]
        > web_autoscaler("single-camp")["spec"]["maxReplicas"]
    )
    for objects in rendered.values():
        assert {o["metadata"].get("namespace") for o in objects} == {"fieldapp"}
        beat = validate.by_kind(objects, "Deployment")["fieldapp-beat"]
        assert beat["spec"]["replicas"] == 1


def deployment(objects: list[dict], name: str) -> dict:
    return validate.by_kind(objects, "Deployment")[name]


def test_an_unknown_field_or_a_wrong_type_is_refused(rendered):
    objects = copy.deepcopy(rendered["single-camp"])
    deployment(objects, "fieldapp-web")["spec"]["replica"] = 2
    deployment(objects, "fieldapp-worker")["spec"]["replicas"] = "two"
    errors = list(validate.schema_errors(objects))
    assert len(errors) == 2, errors
    assert any("replica" in e and "fieldapp-web" in e for e in errors)


def test_two_beats_a_statefulset_or_a_secret_in_the_manifests_are_refused(rendered):
    objects = copy.deepcopy(rendered["single-camp"])
    deployment(objects, "fieldapp-beat")["spec"]["replicas"] = 2
    objects.append({"kind": "StatefulSet", "metadata": {"name": "postgres"}})
    objects.append({"kind": "Secret", "metadata": {"name": "fieldapp-secrets"}})
    errors = list(validate.fieldapp_rule_errors(objects))
    assert "beat must have replicas 1 and strategy Recreate" in errors
    assert any(e.startswith("StatefulSet/postgres") for e in errors)
    assert any(e.startswith("Secret/fieldapp-secrets") for e in errors)


def test_web_without_probes_or_secrets_is_refused(rendered):
    objects = copy.deepcopy(rendered["single-camp"])
    for container in validate.pod_spec(deployment(objects, "fieldapp-web"))["containers"]:
        container.pop("readinessProbe", None)
    validate.pod_spec(deployment(objects, "fieldapp-worker"))["containers"][0]["envFrom"] = []
    errors = list(validate.fieldapp_rule_errors(objects))
    assert "web has no readiness and liveness probes on /healthz" in errors
    assert "Deployment/fieldapp-worker/worker: no envFrom secretRef fieldapp-secrets" in errors


def test_the_compose_file_matches_the_compose_specification():
    assert validate.compose_errors() == []


def test_a_broken_compose_file_is_refused(tmp_path):
    document = yaml.safe_load(validate.COMPOSE.read_text())
    document["services"]["web"]["helthcheck"] = document["services"]["web"].pop("healthcheck")
    document["services"]["worker"]["depends_on"]["rabbitmq"] = {"condition": "service_healthy"}
    document["services"]["beat"]["volumes"] = ["schedule:/srv/fieldapp/var"]
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump(document))
    errors = validate.compose_errors(broken)
    assert any("helthcheck" in e for e in errors), errors
    assert "worker: depends on unknown service rabbitmq" in errors
    assert "beat: volume schedule is not declared" in errors
    assert "web: no healthcheck" in errors


def test_the_compose_file_has_the_services_and_named_volumes_of_a_server():
    document = yaml.safe_load(validate.COMPOSE.read_text())
    assert {"postgres", "redis", "web", "nginx", "worker", "beat", "migrate", "backup"} <= set(
        document["services"]
    )
    assert {"pgdata", "redisdata", "static", "backups"} <= set(document["volumes"])
    assert document["services"]["beat"]["deploy"]["replicas"] == 1
