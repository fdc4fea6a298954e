import { resourcePolicy } from "../lib/define";
import { str } from "../lib/paths";

const HELM_TYPES: ReadonlySet<string> = new Set([
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:helm.sh/v4:Chart",
  "kubernetes:helm.sh/v3:Chart",
]);
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const LOCAL_CHART = /^(\.{1,2}\/|\/)/;

/**
 * Helm charts (`helm.v3.Release`, `helm.v4.Chart`) name an exact chart version, so a preview shows
 * the same chart as the next update. Charts from a local path are pinned by the repository itself.
 */
export const requirePinnedHelmCharts = resourcePolicy({
  name: "require-pinned-helm-charts",
  description: "Helm charts are pinned to an exact version.",
  enforcementLevel: "mandatory",
  appliesTo: (type) => HELM_TYPES.has(type),
  check: ({ props, report }) => {
    const chart = str(props.chart) ?? "";
    if (LOCAL_CHART.test(chart)) return;
    const version = props.version;
    if (version === undefined || version === null || version === "") {
      report(`chart "${chart}": version is not set`);
    } else if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
      report(`chart "${chart}": version ${JSON.stringify(version)} is not an exact version`);
    }
  },
});
