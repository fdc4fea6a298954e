// Probes, read-only root filesystem, token automount, secret env literals.
import { disallowSecretEnvLiterals } from "../../policies/workload/disallowSecretEnvLiterals";
import { disallowServiceAccountTokenAutomount } from "../../policies/workload/disallowServiceAccountTokenAutomount";
import { requireProbes } from "../../policies/workload/requireProbes";
import { requireReadOnlyRootFilesystem } from "../../policies/workload/requireReadOnlyRootFilesystem";
import { assertMessages, itPassesEveryCompliantKind, withPodField } from "./fixtures";

const APP = 'spec.template.spec.containers[0] "app"';

describe("require-probes", () => {
  itPassesEveryCompliantKind(requireProbes);
  it("reports a missing readiness probe", () => {
    assertMessages(requireProbes, withPodField("Deployment", "containers[0].readinessProbe", undefined), [
      `${APP}: missing readinessProbe`,
    ]);
  });
  it("reports a missing liveness probe on a StatefulSet", () => {
    assertMessages(requireProbes, withPodField("StatefulSet", "containers[0].livenessProbe", undefined), [
      `${APP}: missing livenessProbe`,
    ]);
  });
  it("does not require probes on Jobs and CronJobs", () => {
    assertMessages(requireProbes, withPodField("CronJob", "containers[0].livenessProbe", undefined), []);
  });
});

describe("require-read-only-root-filesystem", () => {
  itPassesEveryCompliantKind(requireReadOnlyRootFilesystem);
  it("reports a writable root filesystem", () => {
    const r = withPodField("Deployment", "initContainers[0].securityContext.readOnlyRootFilesystem", false);
    assertMessages(requireReadOnlyRootFilesystem, r, [
      'spec.template.spec.initContainers[0] "migrate": securityContext.readOnlyRootFilesystem is not true',
    ]);
  });
});

describe("disallow-service-account-token-automount", () => {
  itPassesEveryCompliantKind(disallowServiceAccountTokenAutomount);
  it("reports a pod that leaves the token automount implicit", () => {
    assertMessages(
      disallowServiceAccountTokenAutomount,
      withPodField("Deployment", "automountServiceAccountToken", undefined),
      [
        "spec.template.spec.automountServiceAccountToken is not set; set it to false unless the pod calls the API",
      ],
    );
  });
  it("accepts an explicit true (declared need)", () => {
    assertMessages(
      disallowServiceAccountTokenAutomount,
      withPodField("Deployment", "automountServiceAccountToken", true),
      [],
    );
  });
});

describe("disallow-secret-env-literals", () => {
  itPassesEveryCompliantKind(disallowSecretEnvLiterals);
  const msg = "has a literal value that looks like a secret; use valueFrom.secretKeyRef";
  it("reports a secret-named variable with a literal value", () => {
    const r = withPodField("Deployment", "containers[0].env", [{ name: "DB_PASSWORD", value: "hunter2" }]);
    assertMessages(disallowSecretEnvLiterals, r, [`${APP}: env[0] "DB_PASSWORD" ${msg}`]);
  });
  it("reports a credential-shaped value under any name", () => {
    const r = withPodField("Deployment", "containers[0].env", [
      { name: "DATABASE_URL", value: "postgres://app:s3cret@db:5432/app" },
    ]);
    assertMessages(disallowSecretEnvLiterals, r, [`${APP}: env[0] "DATABASE_URL" ${msg}`]);
  });
  it("accepts references to secrets and names that point at them", () => {
    const r = withPodField("Deployment", "containers[0].env", [
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      { name: "DB_PASSWORD_FILE", value: "/run/secrets/db" },
      { name: "TOKEN_URL", value: "https://auth.example.com/token" },
    ]);
    assertMessages(disallowSecretEnvLiterals, r, []);
  });
});
