/** autoscaling HorizontalPodAutoscaler defaults (upstream pkg/apis/autoscaling/v1 and v2 defaults.go). */
import { child, isObj, setDefault, type Obj } from './util.js';

const DEFAULT_CPU_UTILIZATION = 80;

const SCALE_UP: Obj = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
// No stabilization window: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
const SCALE_DOWN: Obj = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/**
 * copyHPAScalingRules over the defaults: every field the user set is kept as given (an
 * explicit empty policy list or selectPolicy too, which validation then refuses).
 */
function scalingRules(rules: unknown, def: Obj): Obj {
  const out: Obj = structuredClone(def);
  if (!isObj(rules)) return out;
  for (const [k, v] of Object.entries(rules)) if (v !== undefined && v !== null) out[k] = v;
  return out;
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
  spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, SCALE_UP);
  spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, SCALE_DOWN);
}

/** autoscaling/v1 HorizontalPodAutoscaler. */
export function defaultHPAv1(hpa: Obj): void {
  const spec = child(hpa, 'spec');
  setDefault(spec, 'minReplicas', 1);
  // v1 leaves targetCPUUtilizationPercentage unset and the controller assumes 80.
}
