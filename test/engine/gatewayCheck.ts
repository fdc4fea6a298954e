// The engine test's Gateway API step: the pinned standard-channel CRDs on the API server, then every
// Gateway API object that the offline plans of `routing: gateway` stacks declare, submitted with
// `kubectl create --dry-run=server`: the CRDs' schemas and CEL rules (which the offline JSON schemas
// lack) must accept each, and refuse deliberately broken copies, which proves the check can fail.
import * as fs from "node:fs";
import * as path from "node:path";
import { seconds } from "../e2e/log";
import type { TestCluster } from "./cluster";
import { namespaceExists } from "./clusterChecks";
import {
  brokenCopies,
  chooseObjects,
  crdNames,
  describeObject,
  distinctObjects,
  GATEWAY_API_GROUP,
  namespacesOf,
  type ChosenObject,
  type KubeObject,
  type PlanObjectResource,
} from "./gatewayApi";
import { runOfflinePlan } from "./verdicts";

/** A stack whose offline plan declares Gateway API objects: its files' folder and its policy config. */
export interface GatewayStack {
  readonly configDir: string;
  readonly stack: string;
  readonly policyConfigStack: string;
}

/** What the step did, for the log and the summary. */
export interface GatewayCheckResult {
  readonly accepted: number;
  readonly refused: number;
  readonly skipped: number;
}

/**
 * Applies the CRDs of `crdDir` (server-side, as the Gateway API's install guide does) unless the
 * cluster already has Gateway API CRDs (a given cluster: those are used, not replaced), waits until
 * they are Established, and submits the stacks' objects and the broken copies. Removes the
 * namespaces it created, and on a given cluster the CRDs it applied.
 */
export async function checkGatewayApi(
  cluster: TestCluster,
  crdDir: string,
  projectDir: string,
  stacks: readonly GatewayStack[],
  log: (message: string) => void,
): Promise<GatewayCheckResult> {
  const files = fs
    .readdirSync(crdDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(crdDir, f));
  const crds = files.flatMap((f) => crdNames(fs.readFileSync(f, "utf8")));
  let started = Date.now();
  const elapsed = () => {
    const text = seconds(Date.now() - started);
    started = Date.now();
    return text;
  };
  const before = (await cluster.kubectl(["get", "crd", "-o", "name"]))
    .split("\n")
    .filter((line) => line.endsWith(`.${GATEWAY_API_GROUP}`));
  const applied: string[] = [];
  const createdNamespaces: string[] = [];
  try {
    if (before.length === 0) {
      await cluster.kubectl(["apply", "--server-side", ...files.flatMap((f) => ["-f", f])]);
      applied.push(...files);
      log(`  applied ${files.length} files (${crds.length} CRDs) from ${crdDir} (server-side)`);
    } else {
      log(
        `  the cluster has ${before.length} Gateway API CRDs already: checking against those, not replacing them`,
      );
    }
    await cluster.kubectl([
      "wait",
      "--for=condition=Established",
      "--timeout=60s",
      ...crds.map((name) => `crd/${name}`),
    ]);
    log(`  Established: ${crds.map((name) => name.split(".")[0]).join(", ")} (${elapsed()})`);

    const served = new Set((await cluster.kubectl(["api-versions"])).split("\n").filter(Boolean));
    const chosen: ChosenObject[] = [];
    let skippedCount = 0;
    for (const stack of stacks) {
      const plan = await runOfflinePlan(projectDir, stack.configDir, stack.stack, stack.policyConfigStack);
      const { objects, skipped } = chooseObjects(plan.resources as PlanObjectResource[], served);
      log(
        `  offline plan of ${stack.stack} (${elapsed()}): ${objects.length} objects to submit, ${skipped.length} skipped`,
      );
      for (const s of skipped) log(`    skipped ${s.urn.split("::").pop()}: ${s.reason}`);
      for (const o of objects)
        if (o.placeholders.length > 0)
          log(`    ${describeObject(o.object)}: placeholders at ${o.placeholders.join(", ")}`);
      chosen.push(...objects);
      skippedCount += skipped.length;
    }
    const objects = distinctObjects(chosen);
    const placeholders = objects.filter((o) => o.placeholders.length > 0).length;
    log(
      `  ${objects.length} distinct objects; unknown values: ${placeholders === 0 ? "none (no placeholder used)" : `placeholders in ${placeholders} objects`}`,
    );
    if (
      !objects.some((o) => o.object.kind === "Gateway") ||
      !objects.some((o) => o.object.kind === "HTTPRoute")
    )
      throw new Error("the gateway stacks' offline plans declare no Gateway or no HTTPRoute to check");

    for (const namespace of namespacesOf(objects)) {
      if (await namespaceExists(cluster, namespace)) continue;
      await cluster.kubectl(["create", "namespace", namespace]);
      createdNamespaces.push(namespace);
    }
    if (createdNamespaces.length > 0)
      log(`  created namespaces ${createdNamespaces.join(", ")} for the dry runs`);

    const refusedDeclared: string[] = [];
    for (const { object, urn } of objects) {
      const refusal = await dryRun(cluster, object);
      const what = `${describeObject(object)} of ${urn.split("::")[0].replace("urn:pulumi:", "")}`;
      if (refusal === undefined) log(`  accepted: ${what}`);
      else refusedDeclared.push(`${what}: ${refusal}`);
    }
    if (refusedDeclared.length > 0)
      throw new Error(
        `the API server refuses ${refusedDeclared.length} of the program's Gateway API objects:\n  ${refusedDeclared.join("\n  ")}`,
      );

    const copies = brokenCopies(objects.map((o) => o.object));
    if (copies.length === 0)
      throw new Error("no broken copy could be made: the check is not proven able to fail");
    for (const copy of copies) {
      const refusal = await dryRun(cluster, copy.object);
      if (refusal === undefined)
        throw new Error(`the API server accepted a broken copy (${copy.description}): the check cannot fail`);
      if (!refusal.includes(copy.refusal))
        throw new Error(
          `the broken copy (${copy.description}) was refused for another reason than "${copy.refusal}": ${refusal}`,
        );
      log(`  refused as it must be: ${copy.description} ("${copy.refusal}")`);
    }
    log(`  dry runs: ${objects.length + copies.length} (${elapsed()})`);
    return { accepted: objects.length, refused: copies.length, skipped: skippedCount };
  } finally {
    // A fake cluster is deleted next: no need to wait for the namespace controller there.
    if (createdNamespaces.length > 0)
      await cluster.kubectl([
        "delete",
        "namespace",
        ...createdNamespaces,
        `--wait=${!cluster.fake}`,
        "--timeout=60s",
      ]);
    if (applied.length > 0 && !cluster.fake)
      await cluster.kubectl(["delete", "--ignore-not-found", ...applied.flatMap((f) => ["-f", f])]);
  }
}

/** Submits an object with a server-side dry run and strict field validation: undefined when accepted, else the refusal. */
async function dryRun(cluster: TestCluster, object: KubeObject): Promise<string | undefined> {
  try {
    await cluster.kubectl(
      ["create", "--dry-run=server", "--validate=strict", "-o", "name", "-f", "-"],
      JSON.stringify(object),
    );
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
  }
}
