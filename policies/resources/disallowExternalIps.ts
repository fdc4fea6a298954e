import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record } from "../lib/paths";

/** No Service sets `externalIPs` (CVE-2020-8554: it lets a Service intercept traffic to any IP). */
export const disallowExternalIps = resourcePolicy({
  name: "disallow-external-ips",
  description: "Services do not set externalIPs.",
  enforcementLevel: "mandatory",
  appliesTo: (type) => isKind(type, ["core"], "Service"),
  check: ({ props, report }) => {
    const ips = record(props.spec).externalIPs;
    if (Array.isArray(ips) && ips.length > 0) report(`spec.externalIPs is set (${ips.join(", ")})`);
  },
});
