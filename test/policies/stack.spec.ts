// Stack policies: network policies, disruption budgets, HPAs, namespace labels, database firewalls.
import { disallowReplicasWithHpa } from "../../policies/stack/disallowReplicasWithHpa";
import { requireDatabaseFirewall } from "../../policies/stack/requireDatabaseFirewall";
import { requireHpaMinReplicas } from "../../policies/stack/requireHpaMinReplicas";
import { requireNamespacePsaLabels } from "../../policies/stack/requireNamespacePsaLabels";
import { requireNetworkPolicies } from "../../policies/stack/requireNetworkPolicies";
import { requirePodDisruptionBudget } from "../../policies/stack/requirePodDisruptionBudget";
import type { ResourceUnderTest } from "../../policies/engine";
import { assertMessages, kube, urnOf, withField, workload } from "./fixtures";

const namespace = () =>
  kube("kubernetes:core/v1:Namespace", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "shop", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
const netpol = (name: string, spec: Record<string, unknown>) =>
  kube("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: "shop" },
    spec,
  });
const denyAll = () => netpol("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const allowApp = () =>
  netpol("app", { podSelector: { matchLabels: { app: "app" } }, ingress: [{ ports: [{ port: 8080 }] }] });
const pdb = (spec: Record<string, unknown>) =>
  kube("kubernetes:policy/v1:PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "app", namespace: "shop" },
    spec: { selector: { matchLabels: { app: "app" } }, ...spec },
  });
const hpa = (minReplicas?: number) =>
  kube("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "app", namespace: "shop" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "app" },
      minReplicas,
      maxReplicas: 5,
    },
  });

describe("require-network-policies", () => {
  const stack = (): ResourceUnderTest[] => [namespace(), denyAll(), allowApp(), workload("Deployment")];
  it("passes a namespace with a default deny and an allowing policy", () =>
    assertMessages(requireNetworkPolicies, stack(), []));
  it("reports a namespace without a default deny", () => {
    const [ns, , allow, app] = stack();
    assertMessages(
      requireNetworkPolicies,
      [ns, allow, app],
      ['namespace "shop" has no default-deny NetworkPolicy for Ingress'],
    );
  });
  it("does not take a policy with a pod selector for a default deny", () => {
    const [ns, deny, allow, app] = stack();
    assertMessages(
      requireNetworkPolicies,
      [ns, withField(deny, "spec.podSelector", { matchLabels: { a: "b" } }), allow, app],
      ['namespace "shop" has no default-deny NetworkPolicy for Ingress'],
    );
  });
  it("reports a workload that no allowing policy selects", () => {
    const [ns, deny, allow, app] = stack();
    assertMessages(
      requireNetworkPolicies,
      [ns, deny, withField(allow, "spec.podSelector.matchLabels.app", "other"), app],
      ["Deployment/shop/app: no NetworkPolicy that allows traffic selects its pods"],
    );
  });
  it("matches matchExpressions", () => {
    const [ns, deny, allow, app] = stack();
    const expr = withField(allow, "spec.podSelector", {
      matchExpressions: [{ key: "app", operator: "In", values: ["app"] }],
    });
    assertMessages(requireNetworkPolicies, [ns, deny, expr, app], []);
  });
  it("requires an egress deny when configured", () => {
    const [ns, deny, allow, app] = stack();
    assertMessages(
      requireNetworkPolicies,
      [ns, withField(deny, "spec.policyTypes", ["Ingress"]), allow, app],
      ['namespace "shop" has no default-deny NetworkPolicy for Egress'],
      { requireEgressDeny: true },
    );
  });
});

describe("require-pod-disruption-budget", () => {
  it("passes a replicated Deployment with a PDB that allows one disruption", () => {
    assertMessages(requirePodDisruptionBudget, [workload("Deployment", 3), pdb({ maxUnavailable: 1 })], []);
  });
  it("ignores a single replica", () =>
    assertMessages(requirePodDisruptionBudget, [workload("Deployment", 1)], []));
  it("reports a replicated Deployment without a PDB", () => {
    assertMessages(
      requirePodDisruptionBudget,
      [workload("StatefulSet", 3)],
      ["StatefulSet/shop/app: 3 replicas but no PodDisruptionBudget selects its pods"],
    );
  });
  it("reports a PDB that allows no disruption", () => {
    assertMessages(
      requirePodDisruptionBudget,
      [workload("Deployment", 3), pdb({ minAvailable: "100%" })],
      ["Deployment/shop/app: PodDisruptionBudget/shop/app allows no disruption of 3 replicas"],
    );
  });
  it("reports maxUnavailable 0", () => {
    assertMessages(
      requirePodDisruptionBudget,
      [workload("Deployment", 2), pdb({ maxUnavailable: 0 })],
      ["Deployment/shop/app: PodDisruptionBudget/shop/app allows no disruption of 2 replicas"],
    );
  });
  it("counts an HPA's minimum as the replica count", () => {
    assertMessages(
      requirePodDisruptionBudget,
      [workload("Deployment"), hpa(2)],
      ["Deployment/shop/app: 2 replicas but no PodDisruptionBudget selects its pods"],
    );
  });
});

describe("disallow-replicas-with-hpa", () => {
  it("passes an HPA-scaled Deployment without replicas", () => {
    assertMessages(disallowReplicasWithHpa, [workload("Deployment"), hpa(2)], []);
  });
  it("reports replicas on an HPA-scaled Deployment", () => {
    assertMessages(
      disallowReplicasWithHpa,
      [workload("Deployment", 3), hpa(2)],
      ["Deployment/shop/app: spec.replicas is set but HorizontalPodAutoscaler/shop/app scales it"],
    );
  });
});

describe("require-hpa-min-replicas", () => {
  it("passes minReplicas 2", () => assertMessages(requireHpaMinReplicas, hpa(2), []));
  it("reports minReplicas 1", () => {
    assertMessages(requireHpaMinReplicas, hpa(1), ["spec.minReplicas is 1; the stack requires at least 2"]);
  });
  it("reports an unset minReplicas (defaults to 1)", () => {
    assertMessages(requireHpaMinReplicas, hpa(), [
      "spec.minReplicas is not set (1); the stack requires at least 2",
    ]);
  });
  it("follows the configured minimum", () =>
    assertMessages(requireHpaMinReplicas, hpa(1), [], { minReplicas: 1 }));
});

describe("require-namespace-psa-labels", () => {
  const label = 'metadata.labels["pod-security.kubernetes.io/enforce"]';
  it("passes a restricted namespace", () => assertMessages(requireNamespacePsaLabels, namespace(), []));
  it("reports a namespace without the enforce label", () => {
    assertMessages(requireNamespacePsaLabels, withField(namespace(), "metadata.labels", {}), [
      `${label} is not set`,
    ]);
  });
  it("reports a level below the stack's", () => {
    const ns = withField(namespace(), "metadata.labels", {
      "pod-security.kubernetes.io/enforce": "baseline",
    });
    assertMessages(requireNamespacePsaLabels, ns, [
      `${label} is "baseline"; the stack requires "restricted"`,
    ]);
  });
  it("accepts baseline where the stack asks for baseline", () => {
    const ns = withField(namespace(), "metadata.labels", {
      "pod-security.kubernetes.io/enforce": "baseline",
    });
    assertMessages(requireNamespacePsaLabels, ns, [], { minimumLevel: "baseline" });
  });
});

describe("require-database-firewall", () => {
  const DB = "digitalocean:index/databaseCluster:DatabaseCluster";
  const FW = "digitalocean:index/databaseFirewall:DatabaseFirewall";
  const db: ResourceUnderTest = {
    urn: urnOf(DB, "prod-db"),
    type: DB,
    name: "prod-db",
    props: { id: "db-1", nodeCount: 2 },
  };
  const fw = (
    props: Record<string, unknown>,
    propertyDependencies?: Record<string, string[]>,
  ): ResourceUnderTest => ({
    urn: urnOf(FW, "prod-db-fw"),
    type: FW,
    name: "prod-db-fw",
    props,
    propertyDependencies,
  });
  it("passes a database whose firewall names it by id", () => {
    assertMessages(requireDatabaseFirewall, [db, fw({ clusterId: "db-1" })], []);
  });
  it("passes a database whose firewall depends on it through clusterId", () => {
    assertMessages(
      requireDatabaseFirewall,
      [{ ...db, props: {} }, fw({ clusterId: "x" }, { clusterId: [db.urn] })],
      [],
    );
  });
  it("reports a database without a firewall", () => {
    assertMessages(
      requireDatabaseFirewall,
      [db, fw({ clusterId: "db-2" })],
      ["prod-db: no DatabaseFirewall protects it"],
    );
  });
});
