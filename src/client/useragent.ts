/**
 * User-Agent strings in client-go's shape, so the API server (and anyone reading its
 * logs or an object's managedFields) sees which component made a request:
 *
 *   <command>/<gitVersion up to the first '-'> (<os>/<arch>) kubernetes/<first 7 characters of gitCommit>
 *
 * with a "/<name>" suffix for one client of a component (rest.AddUserAgent), e.g. a
 * controller's service account: `kube-controller-manager/v1.32.0 (linux/amd64)
 * kubernetes/abcdef0/system:serviceaccount:kube-system:deployment-controller`. The API
 * server names the field manager of a write without ?fieldManager after the part
 * before the first '/', so every controller writes as "kube-controller-manager".
 * Version, commit and platform come from apiserver/version.ts, the one place kubelite
 * states them.
 */
import { versionInfo } from '../apiserver/version.js';

export const KUBE_CONTROLLER_MANAGER = 'kube-controller-manager';
export const KUBE_SCHEDULER = 'kube-scheduler';
export const KUBELET = 'kubelet';

/** rest.DefaultKubernetesUserAgent for a process run as command. */
export function defaultKubernetesUserAgent(command: string): string {
  const v = versionInfo();
  const version = v['gitVersion'] === undefined || v['gitVersion'] === '' ? 'unknown' : (v['gitVersion'].split('-')[0] ?? '');
  const commit = v['gitCommit'] === undefined || v['gitCommit'] === '' ? 'unknown' : v['gitCommit'].slice(0, 7);
  return `${command === '' ? 'unknown' : command}/${version} (${v['platform'] ?? 'unknown'}) kubernetes/${commit}`;
}

/** rest.AddUserAgent: the component's agent with one client's name appended. */
export function addUserAgent(base: string, name: string): string {
  return `${base}/${name}`;
}

/** The username of a service account (serviceaccount.MakeUsername), as controllers' agents end. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}
