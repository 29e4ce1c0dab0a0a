/**
 * Quantities in table cells (PV/PVC capacity, quota usage, HPA targets): upstream's
 * `Quantity.String()`, the canonical form ("1.5Gi" -> "1536Mi", "1000m" -> "1"),
 * from the shared implementation in apimachinery.
 */
import { canonicalQuantity } from '../../apimachinery/quantity.js';

/**
 * The canonical string of a quantity. A missing value is the zero quantity, "0"; a
 * value that does not parse is shown as given (upstream would have refused it at
 * decode time, so there is no upstream rendering to match).
 */
export function formatQuantity(value: unknown): string {
  if (value === undefined || value === null || value === '') return '0';
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (raw === undefined) return String(value);
  try {
    return canonicalQuantity(raw.trim());
  } catch {
    return raw;
  }
}
