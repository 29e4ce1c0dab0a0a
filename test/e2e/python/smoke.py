#!/usr/bin/python3
"""Drives the official Python client (python3-kubernetes) through what its users do
every day, against the cluster of the kubeconfig given as the first argument.

It does not judge: every step records what the client returned (or the traceback it
raised) and the whole record is printed as one JSON object on stdout, so that
test/e2e/python.test.ts asserts on it and a failure names the step that broke.
Only the standard library and the kubernetes package are used.

usage: smoke.py KUBECONFIG NAMESPACE
"""
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback

try:
    from kubernetes import client, config, utils, watch
    from kubernetes.client.rest import ApiException
    from kubernetes.dynamic import DynamicClient
    from kubernetes.dynamic.exceptions import NotFoundError
except ImportError as e:
    # The test turns this exit code into "install python3-kubernetes".
    print("python kubernetes client is not importable: %s" % e, file=sys.stderr)
    sys.exit(3)

# A bound on every wait, so a server that never answers ends the step with an error
# instead of hanging the whole run.
DEADLINE_S = 90

results = {}


def step(name):
    """Runs the step now and stores its value, or the traceback it raised."""
    def run(fn):
        try:
            results[name] = {"ok": True, "value": fn()}
        except Exception:  # noqa: BLE001 - every failure is data for the test
            results[name] = {"ok": False, "error": traceback.format_exc()}
        return fn
    return run


def api_error(e):
    """What users read off an ApiException: HTTP status and phrase, and the Status body."""
    try:
        body = json.loads(e.body)
    except (TypeError, ValueError):
        body = e.body if isinstance(e.body, str) else repr(e.body)
    return {"status": e.status, "reason": e.reason, "body": body}


def expect_api_error(fn):
    try:
        fn()
    except ApiException as e:
        return api_error(e)
    raise AssertionError("expected an ApiException, the call succeeded")


kubeconfig, ns = sys.argv[1], sys.argv[2]
cache_dir = tempfile.mkdtemp(prefix="kubelite-py-")

config.load_kube_config(config_file=kubeconfig)
core = client.CoreV1Api()
apps = client.AppsV1Api()


@step("version")
def _():
    v = client.VersionApi().get_code()
    return {"major": v.major, "minor": v.minor, "gitVersion": v.git_version}


@step("namespaces")
def _():
    before = [n.metadata.name for n in core.list_namespace().items]
    created = core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    return {"before": before, "created": created.metadata.name, "phase": created.status.phase}


@step("configmap")
def _():
    body = client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="cm", labels={"app": "py-smoke"}),
        data={"a": "1"},
    )
    created = core.create_namespaced_config_map(ns, body)
    read = core.read_namespaced_config_map("cm", ns)
    # A dict body is sent as a strategic merge patch, a list as a JSON patch.
    strategic = core.patch_namespaced_config_map("cm", ns, {"data": {"b": "2"}})
    jsonpatch = core.patch_namespaced_config_map(
        "cm", ns, [{"op": "replace", "path": "/data/a", "value": "10"}])
    listed = core.list_namespaced_config_map(ns, label_selector="app=py-smoke")
    return {
        "createdType": type(created).__name__,
        "uidSet": bool(created.metadata.uid),
        "createdTimestampType": type(created.metadata.creation_timestamp).__name__,
        "readData": read.data,
        "strategicData": strategic.data,
        "jsonPatchData": jsonpatch.data,
        "resourceVersionChanged": jsonpatch.metadata.resource_version != created.metadata.resource_version,
        "listedNames": [i.metadata.name for i in listed.items],
        "listResourceVersionSet": bool(listed.metadata.resource_version),
    }


@step("notFound")
def _():
    return expect_api_error(lambda: core.read_namespaced_config_map("missing", ns))


@step("alreadyExists")
def _():
    return expect_api_error(lambda: core.create_namespaced_config_map(
        ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cm"))))


@step("conflict")
def _():
    current = core.read_namespaced_config_map("cm", ns)
    stale = current.metadata.resource_version
    current.data["c"] = "3"
    core.replace_namespaced_config_map("cm", ns, current)
    current.metadata.resource_version = stale
    current.data["c"] = "4"
    return expect_api_error(lambda: core.replace_namespaced_config_map("cm", ns, current))


@step("dynamic")
def _():
    dyn = DynamicClient(client.ApiClient(), cache_file=os.path.join(cache_dir, "discovery.json"))
    cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
    got = cms.get(name="cm", namespace=ns)
    merged = cms.patch(body={"data": {"c": None}}, name="cm", namespace=ns,
                       content_type="application/merge-patch+json")
    deployments = dyn.resources.get(api_version="apps/v1", kind="Deployment")
    default_ns = dyn.resources.get(api_version="v1", kind="Namespace").get(name="default")
    try:
        cms.get(name="missing", namespace=ns)
        missing = "no error"
    except NotFoundError as e:
        missing = {"status": e.status, "reason": e.reason}
    return {
        "kind": got.kind,
        "data": got.to_dict()["data"],
        "mergedData": merged.to_dict()["data"],
        "deploymentNamespaced": deployments.namespaced,
        "deploymentVerbs": sorted(deployments.verbs),
        "defaultPhase": default_ns.status.phase,
        "missing": missing,
    }


@step("delete")
def _():
    status = core.delete_namespaced_config_map("cm", ns)
    details = status.details
    return {"type": type(status).__name__, "status": status.status, "kind": status.kind,
            "details": {"name": details.name, "kind": details.kind, "uidSet": bool(details.uid)}}


@step("watch")
def _():
    start = core.list_namespaced_config_map(ns).metadata.resource_version

    failed = []

    def mutate():
        # The watch starts at `start`, so these are seen however late it connects.
        try:
            core.create_namespaced_config_map(
                ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched"), data={"n": "1"}))
            core.patch_namespaced_config_map("watched", ns, {"data": {"n": "2"}})
            core.delete_namespaced_config_map("watched", ns)
        except Exception:  # noqa: BLE001 - reported by the step below
            failed.append(traceback.format_exc())

    writer = threading.Thread(target=mutate)
    writer.start()
    w = watch.Watch()
    events = []
    for ev in w.stream(core.list_namespaced_config_map, ns, resource_version=start,
                       timeout_seconds=DEADLINE_S, _request_timeout=DEADLINE_S + 30):
        obj = ev["object"]
        events.append({"type": ev["type"], "objectType": type(obj).__name__,
                       "name": obj.metadata.name, "data": obj.data})
        if ev["type"] == "DELETED" and obj.metadata.name == "watched":
            w.stop()
    writer.join()
    if failed:
        raise AssertionError("the writes the watch should see failed:\n" + failed[0])

    # With nothing happening, the server ends the stream after timeoutSeconds.
    idle = list(watch.Watch().stream(core.list_namespaced_config_map, ns,
                                     resource_version=w.resource_version,
                                     timeout_seconds=1, _request_timeout=DEADLINE_S))
    return {"events": events, "idleEvents": len(idle)}


@step("deployment")
def _():
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                         "ports": [{"containerPort": 80}]}]},
            },
        },
    }
    created = apps.create_namespaced_deployment(ns, body)
    deadline = time.monotonic() + DEADLINE_S
    while True:
        d = apps.read_namespaced_deployment_status("web", ns)
        # Until the controller's first write, upstream serves an empty status; the
        # guard keeps this step about availability, "createdStatus" reports the rest.
        s = d.status
        if s is not None and (s.observed_generation or 0) >= d.metadata.generation \
                and s.available_replicas == 2:
            break
        if time.monotonic() > deadline:
            raise AssertionError("deployment not available in %ss: %s" % (DEADLINE_S, s))
        time.sleep(0.5)
    pods = core.list_namespaced_pod(ns, label_selector="app=web")
    set_based = core.list_namespaced_pod(ns, label_selector="app in (web),tier notin (db)")
    other = core.list_namespaced_pod(ns, label_selector="app=other")
    return {
        "createdStatus": type(created.status).__name__,
        "strategy": created.spec.strategy.type,
        "revisionHistoryLimit": created.spec.revision_history_limit,
        "status": {"replicas": s.replicas, "readyReplicas": s.ready_replicas,
                   "availableReplicas": s.available_replicas, "updatedReplicas": s.updated_replicas},
        "conditions": sorted([c.type, c.status, c.reason] for c in s.conditions or []),
        "pods": [{"phase": p.status.phase,
                  "nodeName": p.spec.node_name,
                  "owner": [o.kind for o in p.metadata.owner_references or []],
                  "ready": [c.status for c in p.status.conditions or [] if c.type == "Ready"],
                  "startTimeType": type(p.status.start_time).__name__}
                 for p in pods.items],
        "setBasedMatches": len(set_based.items),
        "otherMatches": len(other.items),
    }


@step("createFromDict")
def _():
    # kubernetes.utils picks the API class and method from apiVersion and kind.
    created = utils.create_from_dict(client.ApiClient(), {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]},
    }, namespace=ns)
    svc = created[0]
    return {"type": type(svc).__name__, "clusterIPSet": bool(svc.spec.cluster_ip),
            "serviceType": svc.spec.type, "protocol": svc.spec.ports[0].protocol}


@step("cleanup")
def _():
    apps.delete_namespaced_deployment("web", ns, propagation_policy="Foreground")
    # Namespaces return the deleted object, not a Status: read it raw.
    resp = core.delete_namespace(ns, _preload_content=False)
    raw = json.loads(resp.data)
    return {"kind": raw.get("kind"), "phase": raw.get("status", {}).get("phase"),
            "deletionTimestampSet": "deletionTimestamp" in raw.get("metadata", {})}


shutil.rmtree(cache_dir, ignore_errors=True)
print(json.dumps(results))
