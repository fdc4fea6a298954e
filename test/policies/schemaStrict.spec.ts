// Fault kind 3: the schema check is as strict as the API server's strict field validation (the
// default of `kubectl apply` since v1.27): a field the schema does not have is refused, with the
// path kubectl prints (`unknown field "spec.template.spec.securityContext.allowPrivilegeEscalation"`).
import * as assert from "node:assert/strict";
import { validateKubernetesSchema } from "../../policies/schema";
import { kube, withField, withPodField, workload } from "./fixtures";

const unknown = (path: string) =>
  `unknown field "${path}" (the API server's strict field validation refuses it)`;
const messages = async (...r: Parameters<typeof validateKubernetesSchema>[0]) =>
  (await validateKubernetesSchema(r)).map((v) => `${v.enforcementLevel} ${v.message}`);

describe("kubernetes-schema: unknown fields", () => {
  it("refuses allowPrivilegeEscalation at pod level, where it does not exist (issue 11)", async () => {
    const r = withPodField("Deployment", "securityContext.allowPrivilegeEscalation", false);
    assert.deepEqual(await messages(r), [
      `mandatory ${unknown("spec.template.spec.securityContext.allowPrivilegeEscalation")}`,
    ]);
  });

  it("accepts allowPrivilegeEscalation on a container, where it exists", async () =>
    assert.deepEqual(
      await messages(
        withPodField("Deployment", "containers[0].securityContext.allowPrivilegeEscalation", true),
      ),
      [],
    ));

  for (const [what, path] of [
    ["a misspelt volume source", "volumes[0].configmap"],
    ["a misspelt container field", "containers[0].imagePullPolicyy"],
    ["a misspelt probe field", "containers[0].readinessProbe.httpget"],
    ["an unknown field in an ephemeral container", "ephemeralContainers[0].securityContext.foo"],
    ["an unknown field in an init container", "initContainers[0].resources.request"],
  ] as const) {
    it(`refuses ${what}`, async () =>
      assert.deepEqual(await messages(withPodField("Pod", path, { name: "x" })), [
        `mandatory ${unknown(`spec.${path}`)}`,
      ]));
  }

  it("refuses unknown fields at the top, in metadata and in a CronJob's job template", async () => {
    let r = withField(workload("CronJob"), "specs", {});
    r = withField(r, "metadata.label", { a: "b" });
    r = withField(r, "spec.jobTemplate.spec.template.spec.restartpolicy", "Never");
    assert.deepEqual((await messages(r)).sort(), [
      `mandatory ${unknown("metadata.label")}`,
      `mandatory ${unknown("spec.jobTemplate.spec.template.spec.restartpolicy")}`,
      `mandatory ${unknown("specs")}`,
    ]);
  });

  it("takes a CRD's openAPIV3Schema as the JSON schema it is (description, x-kubernetes-*), and still refuses unknown fields around it", async () => {
    const crd = (extra: Record<string, unknown>) =>
      kube("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "widgets.example.com" },
        spec: {
          group: "example.com",
          names: { kind: "Widget", plural: "widgets" },
          scope: "Namespaced",
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: "object",
                  description: "A widget.",
                  properties: {
                    spec: {
                      type: "object",
                      description: "Its spec.",
                      "x-kubernetes-preserve-unknown-fields": true,
                    },
                  },
                },
              },
            },
          ],
          ...extra,
        },
      });
    assert.deepEqual(await messages(crd({})), []);
    assert.deepEqual(await messages(crd({ scopes: "Namespaced" })), [`mandatory ${unknown("spec.scopes")}`]);
  });

  it("refuses an unknown field set to null too", async () =>
    assert.deepEqual(await messages(withPodField("Pod", "hostNetworking", null)), [
      `mandatory ${unknown("spec.hostNetworking")}`,
    ]));

  it("refuses a misspelt Service port field", async () => {
    const svc = kube("kubernetes:core/v1:Service", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: "shop" },
      spec: { selector: { app: "web" }, ports: [{ port: 80, targetport: 8080 }] },
    });
    assert.deepEqual(await messages(svc), [`mandatory ${unknown("spec.ports[0].targetport")}`]);
  });

  it("accepts any key in maps (labels, annotations, nodeSelector, resources) and free-form fields", async () => {
    let r = withField(workload("Deployment"), "metadata.labels", { "any.example.com/key": "v" });
    r = withField(r, "metadata.annotations", { "x/y": "z" });
    r = withField(r, "spec.template.spec.nodeSelector", { "kubernetes.io/os": "linux" });
    r = withField(r, "spec.template.spec.containers[0].resources.limits.ephemeral-storage", "1Gi");
    r = withField(r, "metadata.managedFields", [
      { manager: "kubectl", fieldsV1: { "f:spec": { "f:replicas": {} } } },
    ]);
    r = withField(r, "status", { replicas: 1 });
    assert.deepEqual(await messages(r), []);
  });

  it("leaves custom resources alone (no schema to be strict with)", async () => {
    const cr = kube("kubernetes:cert-manager.io/v1:Certificate", {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "c", namespace: "shop" },
      spec: { anything: true },
    });
    assert.deepEqual(await messages(cr), []);
  });
});
