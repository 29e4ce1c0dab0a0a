/** autoscaling HorizontalPodAutoscaler defaults (upstream pkg/apis/autoscaling/v1 and v2 defaults.go). */
import { child, isObj, setDefault, setDefaultStr, type Obj } from './util.js';

const DEFAULT_CPU_UTILIZATION = 80;

function scalingRules(rules: unknown, def: Obj): Obj {
  const r: Obj = isObj(rules) ? rules : {};
  if (r.stabilizationWindowSeconds === undefined && def.stabilizationWindowSeconds !== undefined) r.stabilizationWindowSeconds = def.stabilizationWindowSeconds;
  setDefaultStr(r, 'selectPolicy', def.selectPolicy as string);
  if (!Array.isArray(r.policies) || r.policies.length === 0) r.policies = structuredClone(def.policies);
  return r;
}

/** autoscaling/v2 HorizontalPodAutoscaler. */
export function defaultHPAv2(hpa: Obj): void {
  const spec = child(hpa, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  // Upstream fills the scaling rules only when behavior was given at all.
  if (!isObj(spec.behavior)) return;
  const behavior = spec.behavior;
  behavior.scaleUp = scalingRules(behavior.scaleUp, {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  });
  behavior.scaleDown = scalingRules(behavior.scaleDown, {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  });
}

/** autoscaling/v1 HorizontalPodAutoscaler. */
export function defaultHPAv1(hpa: Obj): void {
  const spec = child(hpa, 'spec');
  setDefault(spec, 'minReplicas', 1);
  // v1 leaves targetCPUUtilizationPercentage unset and the controller assumes 80.
}
