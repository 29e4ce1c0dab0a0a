/**
 * /version: the Kubernetes version kubelite implements, in the shape of upstream's
 * version.Info. gitVersion carries a "+kubelite" build suffix the way k3s marks its
 * builds, so semver checks (helm's kubeVersion) see 1.32.
 */
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';
export const KUBE_GIT_VERSION = 'v1.32.0+kubelite';

const archMap: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', ppc64: 'ppc64le' };

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: KUBE_GIT_VERSION,
    gitCommit: 'kubelite',
    gitTreeState: 'clean',
    buildDate: '2026-11-23T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${archMap[process.arch] ?? process.arch}`,
  };
}
