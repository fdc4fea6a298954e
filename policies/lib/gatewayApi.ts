import { isKind } from "./kinds";
import { record, records, str } from "./paths";

/**
 * The Gateway API's group. Its kinds and fields as the API reference defines them:
 * https://gateway-api.sigs.k8s.io/reference/spec/
 */
export const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** Kinds that carry listeners: Gateway (`spec.listeners`) and ListenerSet (`spec.listeners`). */
export const LISTENER_KINDS = ["Gateway", "ListenerSet"] as const;

/** Route kinds with `spec.hostnames` and `spec.rules[].backendRefs`. */
export const ROUTE_KINDS = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"] as const;

/** Whether a type token is one of these Gateway API kinds, in any version. */
export function isGatewayApiKind(type: string, kinds: readonly string[]): boolean {
  return kinds.some((kind) => isKind(type, [GATEWAY_GROUP], kind));
}

/**
 * An object a Gateway API object refers to by group, kind, name and namespace. `group` "" is the
 * core group; an absent namespace is the referring object's own.
 */
export interface ObjectRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Where the reference is, for messages (`spec.rules[0].backendRefs[1]`). */
  readonly path: string;
}

/**
 * A Gateway API object reference, its group defaulting to "" (core) and its kind to `kind`: Service
 * for a BackendObjectReference, Secret for a SecretObjectReference (API reference).
 */
function objectRef(ref: Record<string, unknown>, kind: "Service" | "Secret", path: string): ObjectRef {
  const namespace = str(ref.namespace);
  return {
    group: str(ref.group) ?? "",
    kind: str(ref.kind) ?? kind,
    name: str(ref.name) ?? "",
    ...(namespace !== undefined ? { namespace } : {}),
    path,
  };
}

/**
 * Every backend a route refers to: each rule's `backendRefs`, and the backends of `RequestMirror`
 * filters on the rule and on each backend reference.
 */
export function routeBackends(props: Record<string, unknown>): ObjectRef[] {
  const out: ObjectRef[] = [];
  const mirrors = (filters: unknown, at: string) =>
    records(filters).forEach((f, k) => {
      const mirror = record(f.requestMirror).backendRef;
      if (mirror !== undefined)
        out.push(objectRef(record(mirror), "Service", `${at}.filters[${k}].requestMirror.backendRef`));
    });
  records(record(props.spec).rules).forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    records(rule.backendRefs).forEach((ref, j) => {
      out.push(objectRef(ref, "Service", `${at}.backendRefs[${j}]`));
      mirrors(ref.filters, `${at}.backendRefs[${j}]`);
    });
    mirrors(rule.filters, at);
  });
  return out;
}

/** Every certificate a Gateway's listeners refer to (`spec.listeners[].tls.certificateRefs`). */
export function listenerCertificates(props: Record<string, unknown>): ObjectRef[] {
  return records(record(props.spec).listeners).flatMap((listener, i) =>
    records(record(listener.tls).certificateRefs).map((ref, j) =>
      objectRef(ref, "Secret", `spec.listeners[${i}].tls.certificateRefs[${j}]`),
    ),
  );
}

/** The hostnames of an object's listeners (`spec.listeners[].hostname`) or of a route (`spec.hostnames`), with their paths. */
export function hostnames(props: Record<string, unknown>): { path: string; hostname: string }[] {
  const spec = record(props.spec);
  const fromListeners = records(spec.listeners).flatMap((l, i) => {
    const hostname = str(l.hostname);
    return hostname === undefined ? [] : [{ path: `spec.listeners[${i}].hostname`, hostname }];
  });
  const fromRoute = (Array.isArray(spec.hostnames) ? (spec.hostnames as unknown[]) : []).flatMap((h, i) => {
    const hostname = str(h);
    return hostname === undefined ? [] : [{ path: `spec.hostnames[${i}]`, hostname }];
  });
  return [...fromListeners, ...fromRoute];
}
