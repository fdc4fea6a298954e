import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record } from "../lib/paths";

/** Config of {@link disallowNodePortServices}. */
export interface NodePortConfig {
  /** Allow NodePort Services on this stack (e.g. a local cluster without a load balancer). Default: false. */
  readonly allowNodePort: boolean;
}

/** No Service of type NodePort unless the stack allows it: node ports open every node to the network. */
export const disallowNodePortServices = resourcePolicy<NodePortConfig>({
  name: "disallow-node-port-services",
  description: "Services are not of type NodePort unless the stack allows it.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowNodePort: { type: "boolean", default: false, description: "Allow NodePort Services." },
    },
  },
  appliesTo: (type) => isKind(type, ["core"], "Service"),
  check: ({ props, config, report }) => {
    if (!config.allowNodePort && record(props.spec).type === "NodePort") report("spec.type is NodePort");
  },
});
