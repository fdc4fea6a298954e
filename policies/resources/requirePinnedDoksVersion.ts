import { resourcePolicy } from "../lib/define";

const DOKS_VERSION = /^\d+\.\d+\.\d+-do\.\d+$/;

/** DOKS clusters name an exact version slug (a literal `latest` replaces the cluster's spec on every run). */
export const requirePinnedDoksVersion = resourcePolicy({
  name: "require-pinned-doks-version",
  description: "DigitalOcean Kubernetes clusters use an exact version slug (e.g. 1.33.1-do.0).",
  enforcementLevel: "mandatory",
  appliesTo: (type) => type === "digitalocean:index/kubernetesCluster:KubernetesCluster",
  check: ({ props, report }) => {
    const version = props.version;
    if (typeof version !== "string" || !DOKS_VERSION.test(version)) {
      report(
        `version ${JSON.stringify(version ?? null)} is not an exact DOKS version slug like "1.33.1-do.0"`,
      );
    }
  },
});
