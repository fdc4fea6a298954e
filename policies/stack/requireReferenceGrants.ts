import { stackPolicy } from "../lib/define";
import {
  GATEWAY_GROUP,
  isGatewayApiKind,
  LISTENER_KINDS,
  listenerCertificates,
  type ObjectRef,
  routeBackends,
  ROUTE_KINDS,
} from "../lib/gatewayApi";
import { record, records, str } from "../lib/paths";
import { type KubeObject, kubernetesObjects } from "../lib/stackObjects";

/** Whether a ReferenceGrant lets `from` (kind in namespace) refer to `to`. */
function allows(grant: KubeObject, from: KubeObject, to: ObjectRef): boolean {
  const spec = record(grant.props.spec);
  const fromOk = records(spec.from).some(
    (f) => str(f.group) === GATEWAY_GROUP && str(f.kind) === from.kind && str(f.namespace) === from.namespace,
  );
  const toOk = records(spec.to).some((t) => {
    const name = str(t.name);
    return (str(t.group) ?? "") === to.group && str(t.kind) === to.kind && (!name || name === to.name);
  });
  return fromOk && toOk;
}

/**
 * A route's backend (`backendRefs`, mirror filters' `backendRef`) or a listener's certificate
 * (`tls.certificateRefs`) in another namespace needs a ReferenceGrant in that namespace naming the
 * referring kind and namespace (`spec.from`) and the target's kind, optionally its name (`spec.to`).
 * Without one the reference is refused: the route's `ResolvedRefs` condition turns False with
 * `RefNotPermitted` and the backend gets no traffic (Gateway API reference, ReferenceGrant and
 * BackendObjectReference: https://gateway-api.sigs.k8s.io/reference/spec/). A stack policy because
 * the grant and the reference are different objects; the manifest check runs it over a bundle.
 */
export const requireReferenceGrants = stackPolicy({
  name: "require-reference-grants",
  description:
    "Gateway API routes refer to Services (and listeners to Secrets) of their own namespace, or of one whose ReferenceGrant allows it.",
  enforcementLevel: "mandatory",
  check: ({ resources, report }) => {
    const objects = kubernetesObjects(resources).filter((o) => o.group === GATEWAY_GROUP);
    const grants = objects.filter((o) => o.kind === "ReferenceGrant");
    for (const o of objects) {
      const type = o.resource.type;
      const refs = isGatewayApiKind(type, ROUTE_KINDS)
        ? routeBackends(o.props)
        : isGatewayApiKind(type, LISTENER_KINDS)
          ? listenerCertificates(o.props)
          : [];
      for (const ref of refs) {
        if (ref.namespace === undefined || ref.namespace === o.namespace) continue;
        if (grants.some((g) => g.namespace === ref.namespace && allows(g, o, ref))) continue;
        report(
          o.resource,
          `${o.id}: ${ref.path} refers to ${ref.kind} ${ref.namespace}/${ref.name} in another namespace, and no ReferenceGrant in ${ref.namespace} allows ${o.kind}s from ${o.namespace}`,
        );
      }
    }
  },
});
