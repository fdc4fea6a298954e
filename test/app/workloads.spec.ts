import * as assert from "node:assert/strict";
import { validateKubernetesSchema } from "../../policies/schema";
import { Evaluation, PlannedResource } from "../../scripts/lib/evaluate";
import { allOf, only } from "../helpers";
import { evaluateDeployed, FIXTURE_DIGEST } from "./deployed";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WORKLOAD_TYPES = [
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
];

function podSpec(workload: PlannedResource): Json {
  const spec = workload.inputs.spec as Json;
  return workload.type.endsWith(":CronJob") ? spec.jobTemplate.spec.template.spec : spec.template.spec;
}

describe("app workloads on every stack", () => {
  const stacks = new Map<string, Evaluation>();
  before(async () => {
    for (const stack of ["dev", "staging", "prod"]) stacks.set(stack, await evaluateDeployed(stack));
  });

  for (const stack of ["dev", "staging", "prod"]) {
    describe(stack, () => {
      const workloads = () => stacks.get(stack)!.resources.filter((r) => WORKLOAD_TYPES.includes(r.type));

      it("runs the api, the web front end and the database (in the cluster, or managed in prod)", () => {
        const names = workloads()
          .map((w) => `${w.type.split(":").pop()}/${(w.inputs.metadata as Json).name}`)
          .sort();
        const inCluster = [
          "CronJob/postgres-backup",
          // The restore Job's template, where dumps outlive the backup pod (not dev's emptyDir).
          ...(stack === "dev" ? [] : ["CronJob/postgres-restore"]),
          "Deployment/api",
          "Deployment/web",
          "StatefulSet/postgres",
        ];
        assert.deepEqual(names, stack === "prod" ? ["Deployment/api", "Deployment/web"] : inCluster);
        if (stack === "prod") only(stacks.get(stack)!, "digitalocean:index/databaseCluster:DatabaseCluster");
      });

      it("gives every pod and container the restricted security context", () => {
        for (const workload of workloads()) {
          const pod = podSpec(workload);
          assert.equal(pod.securityContext.runAsNonRoot, true, workload.name);
          assert.ok(pod.securityContext.runAsUser > 0, workload.name);
          assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" }, workload.name);
          assert.equal(pod.automountServiceAccountToken, false, workload.name);
          for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
            const where = `${workload.name}/${container.name}`;
            assert.equal(container.securityContext.runAsNonRoot, true, where);
            assert.ok(container.securityContext.runAsUser > 0, where);
            assert.equal(container.securityContext.allowPrivilegeEscalation, false, where);
            assert.equal(container.securityContext.readOnlyRootFilesystem, true, where);
            assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] }, where);
            assert.ok(
              container.volumeMounts.some((m: Json) => m.mountPath === "/tmp"),
              `${where} has a writable /tmp`,
            );
          }
          assert.ok(
            pod.volumes.some((v: Json) => v.name === "tmp" && v.emptyDir),
            `${workload.name} has an emptyDir for /tmp`,
          );
        }
      });

      it("sets CPU and memory requests and limits on every container", () => {
        for (const workload of workloads()) {
          const pod = podSpec(workload);
          for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
            for (const kind of ["requests", "limits"]) {
              assert.ok(container.resources[kind].cpu, `${workload.name}/${container.name} ${kind}.cpu`);
              assert.ok(
                container.resources[kind].memory,
                `${workload.name}/${container.name} ${kind}.memory`,
              );
            }
          }
        }
      });

      it("probes every long-running container: startup, readiness and liveness", () => {
        for (const workload of workloads().filter((w) => !w.type.endsWith(":CronJob"))) {
          for (const container of podSpec(workload).containers) {
            for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
              assert.ok(container[probe], `${workload.name}/${container.name} has no ${probe}`);
            }
          }
        }
      });

      it("pins the app's images by the pushed digest and third-party images by exact version", () => {
        for (const workload of workloads()) {
          const pod = podSpec(workload);
          for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
            const image = String(container.image);
            // The backup tool is the api image's (dist/backup.js), pinned by the same digest.
            const tool = ["store-dump", "fetch-dump"].includes(container.name);
            if (tool || ["api", "web"].includes((workload.inputs.metadata as Json).name)) {
              assert.match(image, new RegExp(`/(api|web)@${FIXTURE_DIGEST}$`), `${workload.name}: ${image}`);
            } else {
              assert.match(
                image,
                /^docker\.io\/library\/postgres:\d+\.\d+-[a-z]+$/,
                `${workload.name}: ${image}`,
              );
            }
          }
        }
      });

      it("produces only Kubernetes objects that pass the Kubernetes schema", async () => {
        const evaluation = stacks.get(stack)!;
        const violations = await validateKubernetesSchema(
          evaluation.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs })),
        );
        assert.deepEqual(violations, []);
        // The same validation does catch a broken object, so the empty list above means something.
        const deployment = allOf(evaluation, "kubernetes:apps/v1:Deployment")[0];
        const broken = {
          ...deployment.inputs,
          spec: { ...(deployment.inputs.spec as Json), replicas: "two" },
        };
        const caught = await validateKubernetesSchema([
          { urn: "u", type: deployment.type, name: "b", props: broken },
        ]);
        assert.equal(caught.length, 1);
        assert.equal(caught[0].policy, "kubernetes-schema");
      });
    });
  }

  it("rolls out without dropping below the desired count and runs migrations first", () => {
    for (const evaluation of stacks.values()) {
      for (const deployment of allOf(evaluation, "kubernetes:apps/v1:Deployment")) {
        const spec = deployment.inputs.spec as Json;
        assert.deepEqual(spec.strategy, {
          type: "RollingUpdate",
          rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
        });
      }
      const api = allOf(evaluation, "kubernetes:apps/v1:Deployment").find((d) =>
        d.name.endsWith("-api-deployment"),
      )!;
      const init = podSpec(api).initContainers;
      assert.equal(init.length, 1);
      assert.deepEqual(init[0].args, ["dist/migrate.js"]);
      assert.equal(
        init[0].image,
        podSpec(api).containers[0].image,
        "migrations run the image that then serves",
      );
    }
  });

  it("spreads replicas across nodes in the cloud only", () => {
    const spread = (stack: string) =>
      allOf(stacks.get(stack)!, "kubernetes:apps/v1:Deployment").map(
        (d) => podSpec(d).topologySpreadConstraints,
      );
    assert.deepEqual(spread("dev"), [undefined, undefined]);
    for (const constraints of spread("prod")) {
      assert.equal(constraints[0].topologyKey, "kubernetes.io/hostname");
      assert.equal(constraints[0].maxSkew, 1);
    }
  });
});
