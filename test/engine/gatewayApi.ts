// The engine test's Gateway API check, its pure parts (unit-tested in gatewayApi.spec.ts): the
// `routing: gateway` stacks whose offline plans declare the objects, which of the plan's objects the
// API server can judge, placeholders for values unknown offline, and copies that the CRDs' CEL
// rules must refuse. test/engine/gatewayCheck.ts submits them to the API server.
import { parseAllDocuments, parseDocument, stringify } from "yaml";
import { SECRET } from "../../scripts/lib/evaluate";
import { UNKNOWN_MARKER } from "../../scripts/lib/render";

/** The Gateway API's group; cert-manager's Certificates of a gateway stack live beside it. */
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
const CERT_MANAGER_GROUP = "cert-manager.io";
/** Groups whose objects the check submits (where the API server serves them). */
const CHECKED_GROUPS = [GATEWAY_API_GROUP, CERT_MANAGER_GROUP];

/** A Kubernetes object as the program declares it (a custom resource's inputs). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: unknown;
    readonly namespace?: unknown;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** One resource of an offline plan (`plan --json`): the fields the check reads. */
export interface PlanObjectResource {
  readonly urn: string;
  readonly type: string;
  readonly inputs: unknown;
}

/** An object to submit: where it comes from, and the paths filled with placeholders. */
export interface ChosenObject {
  /** The resource's URN. */
  readonly urn: string;
  readonly object: KubeObject;
  /** Paths whose unknown value was replaced by a placeholder (`spec.rules[0].backendRefs[0].name`). */
  readonly placeholders: readonly string[];
}

/** A resource of the checked groups that is not submitted, and why. */
export interface SkippedObject {
  readonly urn: string;
  readonly reason: string;
}

/** What an object is called in the log: `HTTPRoute app/app-redirect`. */
export function describeObject(object: KubeObject): string {
  const ns = typeof object.metadata.namespace === "string" ? `${object.metadata.namespace}/` : "";
  return `${object.kind} ${ns}${String(object.metadata.name)}`;
}

/**
 * The Gateway API objects (and cert-manager's) of an offline plan that this API server can judge:
 * an object whose apiVersion the server does not serve (cert-manager's CRDs are not installed) is
 * skipped with the reason; unknown values get placeholders where a plausible one exists (names and
 * host names), otherwise the object is skipped naming the path; a secret value skips it too.
 */
export function chooseObjects(
  resources: readonly PlanObjectResource[],
  servedApiVersions: ReadonlySet<string>,
): { objects: ChosenObject[]; skipped: SkippedObject[] } {
  const objects: ChosenObject[] = [];
  const skipped: SkippedObject[] = [];
  for (const resource of resources) {
    const group = /^kubernetes:([^/:]+)\/[^:]+:[^:]+$/.exec(resource.type)?.[1];
    if (group === undefined || !CHECKED_GROUPS.includes(group)) continue;
    const inputs = resource.inputs as Partial<KubeObject> | null;
    const apiVersion = inputs?.apiVersion;
    if (typeof apiVersion !== "string" || typeof inputs?.kind !== "string" || inputs.metadata === undefined) {
      skipped.push({ urn: resource.urn, reason: "its apiVersion, kind or metadata is unknown offline" });
      continue;
    }
    if (!servedApiVersions.has(apiVersion)) {
      skipped.push({
        urn: resource.urn,
        reason: `${apiVersion} is not served by this API server (${
          group === CERT_MANAGER_GROUP
            ? "cert-manager's CRDs are not installed; the program installs them with cert-manager's chart"
            : "its CRD is not installed"
        })`,
      });
      continue;
    }
    const filled = fillUnknowns(inputs);
    if (filled.unfillable.length > 0) {
      skipped.push({
        urn: resource.urn,
        reason: `no plausible placeholder for ${filled.unfillable.join(", ")}`,
      });
      continue;
    }
    objects.push({
      urn: resource.urn,
      object: filled.value as KubeObject,
      placeholders: filled.placeholders,
    });
  }
  return { objects, skipped };
}

/** Placeholder for an unknown name: a DNS label, valid wherever Kubernetes expects a name. */
export const NAME_PLACEHOLDER = "engine-placeholder";
/** Placeholder for an unknown host name, in a reserved domain (RFC 2606). */
export const HOST_PLACEHOLDER = "placeholder.example.com";
const NAME_KEYS = new Set(["name", "namespace", "sectionName", "secretName"]);
const HOST_KEYS = new Set(["hostname", "hostnames", "dnsNames"]);

/**
 * The value with each unknown (`plan --json`'s marker) replaced by a placeholder where its key says
 * what it is — a name (`name`, `namespace`, `sectionName`, `secretName`) or a host name
 * (`hostname`, items of `hostnames` and `dnsNames`) — with the paths it filled; unknowns elsewhere
 * (a port, a whole map) and secrets are `unfillable`: an invented value there would judge nothing.
 */
export function fillUnknowns(value: unknown): {
  value: unknown;
  placeholders: string[];
  unfillable: string[];
} {
  const placeholders: string[] = [];
  const unfillable: string[] = [];
  const walk = (v: unknown, path: string, key: string | undefined): unknown => {
    if (v === UNKNOWN_MARKER || v === SECRET) {
      const placeholder =
        v === SECRET
          ? undefined
          : key !== undefined && NAME_KEYS.has(key)
            ? NAME_PLACEHOLDER
            : key !== undefined && HOST_KEYS.has(key)
              ? HOST_PLACEHOLDER
              : undefined;
      if (placeholder === undefined)
        unfillable.push(`${path || "(the object)"}${v === SECRET ? " (secret)" : ""}`);
      else placeholders.push(path);
      return placeholder ?? v;
    }
    // Items of a list take their list's key: `hostnames[0]` is a host name.
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`, key));
    if (v !== null && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, item]) => [
          k,
          walk(item, path ? `${path}.${k}` : k, k),
        ]),
      );
    return v;
  };
  return { value: walk(value, "", undefined), placeholders, unfillable };
}

/** Namespaces the objects live in, sorted. */
export function namespacesOf(objects: readonly ChosenObject[]): string[] {
  const names = objects
    .map((o) => o.object.metadata.namespace)
    .filter((ns): ns is string => typeof ns === "string" && ns !== "");
  return [...new Set(names)].sort();
}

/** The same object declared by several stacks is submitted once. */
export function distinctObjects(objects: readonly ChosenObject[]): ChosenObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = JSON.stringify(o.object);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A deliberately invalid copy of a declared object, and the CEL rule's message that must refuse it. */
export interface BrokenCopy {
  readonly description: string;
  readonly object: KubeObject;
  /** Part of the refusal the API server must give (the rule's message in the CRD). */
  readonly refusal: string;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Copies that the standard CRDs' CEL rules (x-kubernetes-validations), which the offline JSON
 * schemas lack, refuse: an HTTPRoute rule with a RequestRedirect and a URLRewrite filter (the
 * redirect route's own rule where the plan has one), and a Gateway whose plain-HTTP listener
 * carries a TLS block. Empty for a kind the objects lack.
 */
export function brokenCopies(objects: readonly KubeObject[]): BrokenCopy[] {
  const copies: BrokenCopy[] = [];
  const routes = objects.filter(
    (o) => o.kind === "HTTPRoute" && Array.isArray((o.spec as { rules?: unknown[] } | undefined)?.rules),
  );
  const hasRedirect = (o: KubeObject) =>
    JSON.stringify((o.spec as { rules: unknown[] }).rules).includes('"RequestRedirect"');
  const route = routes.find(hasRedirect) ?? routes[0];
  if (route) {
    const copy = clone(route) as KubeObject & { spec: { rules: { filters?: unknown[] }[] } };
    const rule = copy.spec.rules[0];
    const filters = rule.filters ?? [];
    if (!JSON.stringify(filters).includes('"RequestRedirect"'))
      filters.push({ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } });
    filters.push({ type: "URLRewrite", urlRewrite: { hostname: "rewritten.example.com" } });
    rule.filters = filters;
    copies.push({
      description: `${describeObject(route)} with a RequestRedirect and a URLRewrite filter in one rule`,
      object: copy,
      refusal:
        "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
    });
  }
  const gateway = objects.find((o) => o.kind === "Gateway");
  type Listener = { protocol?: string; tls?: unknown };
  const listeners = (gateway?.spec as { listeners?: Listener[] } | undefined)?.listeners;
  const plain = listeners?.findIndex((l) => l.protocol === "HTTP") ?? -1;
  if (gateway && listeners && plain >= 0) {
    const copy = clone(gateway) as KubeObject & { spec: { listeners: Listener[] } };
    const tls = listeners.find((l) => l.tls !== undefined)?.tls ?? {
      mode: "Terminate",
      certificateRefs: [{ group: "", kind: "Secret", name: "engine-test-tls" }],
    };
    copy.spec.listeners[plain].tls = clone(tls);
    copies.push({
      description: `${describeObject(gateway)} whose HTTP listener carries a TLS block`,
      object: copy,
      refusal: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    });
  }
  return copies;
}

/** Names of the CustomResourceDefinitions in a manifest (several YAML documents). */
export function crdNames(manifest: string): string[] {
  return parseAllDocuments(manifest)
    .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .filter((doc) => doc?.kind === "CustomResourceDefinition" && typeof doc.metadata?.name === "string")
    .map((doc) => doc!.metadata!.name!);
}

/** What the existing-cluster gateway stack needs from the test. */
export interface GatewayStackInputs {
  /** The cluster's kubeconfig file (the offline evaluation does not connect). */
  readonly kubeconfigPath: string;
  readonly images: { readonly api: string; readonly web: string };
}

/**
 * The stack file of an existing-cluster stack with `routing: gateway` and everything a Gateway can
 * carry there: the Traefik the program installs (`routing: gateway` refuses the cluster's own
 * controller), TLS with the installed cert-manager (HTTPS listeners and Certificates), and full
 * observability (Grafana's site: a second listener and its routes). Hosts are in example.com.
 */
export function existingGatewayStackFile(inputs: GatewayStackInputs): string {
  const key = (name: string) => `platform:${name}`;
  return stringify({
    config: {
      [key("clusterProvider")]: "existing",
      [key("kubeconfigPath")]: inputs.kubeconfigPath,
      [key("routing")]: "gateway",
      [key("ingressController")]: "traefik",
      [key("tls")]: true,
      [key("certManager")]: "install",
      [key("acmeEmail")]: "platform-team@example.com",
      [key("appHost")]: "app.example.com",
      [key("observability")]: "full",
      [key("grafanaHost")]: "grafana.example.com",
      [key("databaseStorageGi")]: 1,
      [key("appImages")]: { api: inputs.images.api, web: inputs.images.web },
    },
  });
}

/**
 * A stack file with `platform:routing: gateway` added (or set), its other settings and comments
 * untouched: the prod stack's (DigitalOcean, TLS) gives the redirect routes, which only a stack
 * whose clients reach the standard ports has.
 */
export function withGatewayRouting(stackFile: string): string {
  const doc = parseDocument(stackFile);
  doc.setIn(["config", "platform:routing"], "gateway");
  return doc.toString();
}
