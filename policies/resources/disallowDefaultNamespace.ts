import { resourcePolicy } from "../lib/define";
import { workloadKind } from "../lib/kinds";
import { record } from "../lib/paths";

/** Workloads live in a namespace of their own, never in `default` (explicitly or by omission). */
export const disallowDefaultNamespace = resourcePolicy({
  name: "disallow-default-namespace",
  description: "Workloads are not deployed to the default namespace.",
  enforcementLevel: "advisory",
  appliesTo: (type) => workloadKind(type) !== undefined,
  check: ({ props, report }) => {
    const namespace = record(props.metadata).namespace;
    if (namespace === "default") report(`metadata.namespace is "default"`);
    else if (namespace === undefined || namespace === "") {
      report("metadata.namespace is not set, so the workload lands in the default namespace");
    }
  },
});
