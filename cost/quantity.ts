// Kubernetes resource quantities ("100m", "0.5", "128Mi", "1G", "1e3") as the capacity check counts
// them: CPU in millicores, memory in bytes, each rounded up as the API server does
// (k8s.io/apimachinery resource.Quantity: MilliValue and Value round up).

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** The value of a quantity in its base unit (cores, bytes); undefined when it is not one. */
export function quantityValue(quantity: unknown): number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) && quantity >= 0 ? quantity : undefined;
  if (typeof quantity !== "string") return undefined;
  const m = QUANTITY.exec(quantity.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  const scale = m[3] !== undefined ? 10 ** Number(m[3]) : (BINARY[m[2] ?? ""] ?? DECIMAL[m[2] ?? ""]);
  const value = number * scale;
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Rounds up, forgiving the binary noise of decimal fractions (0.1 × 1000 is 100.00000000000001). */
function ceil(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value - rounded) < 1e-6 ? rounded : Math.ceil(value);
}

/** Millicores of a CPU quantity ("250m" → 250, "0.5" → 500, 2 → 2000). */
export function cpuMillis(quantity: unknown): number | undefined {
  const value = quantityValue(quantity);
  return value === undefined ? undefined : ceil(value * 1000);
}

/** Bytes of a memory quantity ("128Mi" → 134217728, "1G" → 1000000000). */
export function memoryBytes(quantity: unknown): number | undefined {
  const value = quantityValue(quantity);
  return value === undefined ? undefined : ceil(value);
}

/** Bytes of a storage request ("5Gi", "500Mi", "10G"): the same quantity arithmetic as memory. */
export const storageBytes = memoryBytes;

/** "430m", "1.5 vCPU" from 1500 millicores. */
export function formatCpu(millis: number): string {
  return millis < 1000 ? `${millis}m` : `${+(millis / 1000).toFixed(2)} vCPU`;
}

/** "832 MiB", "5 GiB", "2.5 GiB" from bytes (MiB below 1 GiB, GiB with up to two decimals above). */
export function formatMemory(bytes: number): string {
  const mib = bytes / 2 ** 20;
  if (Math.abs(mib) < 1024) return `${+mib.toFixed(1)} MiB`;
  return `${+(mib / 1024).toFixed(2)} GiB`;
}
