import * as assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Deployment } from "@pulumi/kubernetes/apps/v1";
import { enforcementLevelOf, PolicyRun, runPolicies, UNKNOWN } from "../../policies/engine";
import { requireNetworkPolicies } from "../../policies/stack/requireNetworkPolicies";
import { disallowUnpinnedImages } from "../../policies/workload/disallowUnpinnedImages";
import { requireNonRoot } from "../../policies/workload/requireNonRoot";
import { requireProbes } from "../../policies/workload/requireProbes";
import { urnOf, withField, withPodField, workload } from "./fixtures";

const latest = () => withPodField("Deployment", "containers[0].image", "nginx:latest");
const LATEST_MESSAGE = 'spec.template.spec.containers[0] "app": image "nginx:latest" uses the latest tag';

describe("policy engine", () => {
  describe("enforcement levels", () => {
    it("uses the policy's entry, then all, then the policy's own level", () => {
      assert.equal(enforcementLevelOf(disallowUnpinnedImages, {}), "mandatory");
      assert.equal(enforcementLevelOf(disallowUnpinnedImages, { all: "advisory" }), "advisory");
      assert.equal(
        enforcementLevelOf(disallowUnpinnedImages, {
          all: "advisory",
          "disallow-unpinned-images": { enforcementLevel: "mandatory" },
        }),
        "mandatory",
      );
      assert.equal(
        enforcementLevelOf(disallowUnpinnedImages, { "disallow-unpinned-images": "remediate" }),
        "mandatory",
      );
    });

    it("reports at the configured level", () => {
      assert.deepEqual(runPolicies([latest()], { all: "advisory" }, [disallowUnpinnedImages]), [
        {
          policy: "disallow-unpinned-images",
          enforcementLevel: "advisory",
          resource: latest().urn,
          message: LATEST_MESSAGE,
        },
      ]);
    });

    it("skips disabled policies", () => {
      assert.deepEqual(
        runPolicies([latest()], { "disallow-unpinned-images": "disabled" }, [disallowUnpinnedImages]),
        [],
      );
    });
  });

  describe("values unknown during preview", () => {
    // The offline plan's values come from the Pulumi runtime, whose sentinel is its own constant.
    it("reports a policy that reads a value the runtime left unknown as not checkable, at advisory level", () => {
      const r = withPodField("Deployment", "containers[0].image", unknownValue);
      assert.deepEqual(runPolicies([r], { all: "mandatory" }, [disallowUnpinnedImages]), [
        {
          policy: "disallow-unpinned-images",
          enforcementLevel: "advisory",
          resource: r.urn,
          message: "cannot be checked during preview: spec.template.spec.containers[0].image is unknown",
        },
      ]);
    });

    it("checks normally when the unknown value is one the policy never reads", () => {
      const r = withField(latest(), "metadata.labels", { version: UNKNOWN });
      assert.deepEqual(
        runPolicies([r], {}, [disallowUnpinnedImages]).map((v) => v.message),
        [LATEST_MESSAGE],
      );
    });

    it("reports an unknown security context instead of passing it", () => {
      const r = withPodField("Deployment", "securityContext", UNKNOWN);
      assert.deepEqual(
        runPolicies([r], {}, [requireNonRoot]).map((v) => `${v.enforcementLevel}: ${v.message}`),
        ["advisory: cannot be checked during preview: spec.template.spec.securityContext is unknown"],
      );
    });

    it("reports a stack policy that reads an unknown value once, on the stack", () => {
      const r = withField(workload("Deployment"), "metadata.namespace", UNKNOWN);
      assert.deepEqual(runPolicies([r], {}, [requireNetworkPolicies]), [
        {
          policy: "require-network-policies",
          enforcementLevel: "advisory",
          resource: "stack",
          message: "cannot be checked during preview: metadata.namespace is unknown",
        },
      ]);
    });
  });

  describe("validation arguments", () => {
    it("passes the policy's settings without enforcementLevel, and notApplicable stays silent", () => {
      const seen: object[] = [];
      const probe: ResourceValidationPolicy = {
        name: "probe",
        description: "records its config",
        validateResource: (args, report) => {
          seen.push(args.getConfig());
          if (args.type !== "kubernetes:apps/v1:Deployment") args.notApplicable("not a Deployment");
          report(`${args.name} ${String(args.isType(Deployment))}`);
        },
      };
      const service = {
        urn: urnOf("kubernetes:core/v1:Service", "svc"),
        type: "kubernetes:core/v1:Service",
        name: "svc",
        props: {},
      };
      const out = runPolicies(
        [workload("Deployment"), service],
        { probe: { enforcementLevel: "advisory", limit: 3 } },
        [probe],
      );
      assert.deepEqual(seen, [{ limit: 3 }, { limit: 3 }]);
      assert.deepEqual(out, [
        {
          policy: "probe",
          enforcementLevel: "advisory",
          resource: workload("Deployment").urn,
          message: "app true",
        },
      ]);
    });

    it("reports a stack violation on the URN the policy names", () => {
      const stack: StackValidationPolicy = {
        name: "stack-probe",
        description: "reports on the first resource",
        validateStack: (args, report) => report(`${args.resources.length} resources`, args.resources[0].urn),
      };
      assert.deepEqual(runPolicies([workload("Job")], {}, [stack]), [
        {
          policy: "stack-probe",
          enforcementLevel: "mandatory",
          resource: workload("Job").urn,
          message: "1 resources",
        },
      ]);
    });

    it("refuses an asynchronous policy with a clear error", () => {
      const asyncPolicy: ResourceValidationPolicy = {
        name: "async",
        description: "async",
        validateResource: async () => undefined,
      };
      assert.throws(
        () => runPolicies([workload("Pod")], {}, [asyncPolicy]),
        /policy 'async' failed on .*returned a promise/,
      );
    });
  });

  describe("one resource at a time (PolicyRun, as the plan's policy thread runs the pack)", () => {
    /** A resource policy that reports every resource it sees, tagged with its own name. */
    const reporter = (name: string, calls: string[] = []): ResourceValidationPolicy => ({
      name,
      description: name,
      validateResource: (args, report) => {
        calls.push(`${name}(${args.name})`);
        report(`${name} saw ${args.name}`);
      },
    });
    /** A policy that fails on the resource named `from` and every one after it (or, for a stack policy, always). */
    const failing = (name: string, from?: string): ResourceValidationPolicy | StackValidationPolicy =>
      from === undefined
        ? {
            name,
            description: name,
            validateStack: () => {
              throw new Error(`${name} broke`);
            },
          }
        : {
            name,
            description: name,
            validateResource: (args) => {
              if (args.name >= from) throw new Error(`${name} broke on ${args.name}`);
            },
          };
    const seen = (violations: readonly { message: string }[]) => violations.map((v) => v.message);
    const named = (name: string) => ({
      urn: urnOf("kubernetes:apps/v1:Deployment", name),
      type: "kubernetes:apps/v1:Deployment",
      name,
      props: {},
    });

    it("calls policies as the analyzer does, resource by resource, and lists violations policy by policy", () => {
      const calls: string[] = [];
      const run = new PolicyRun({}, [reporter("first", calls), reporter("second", calls)]);
      run.add(named("a"));
      run.add(named("b"));
      assert.deepEqual(calls, ["first(a)", "second(a)", "first(b)", "second(b)"]);
      assert.deepEqual(seen(run.finish()), ["first saw a", "first saw b", "second saw a", "second saw b"]);
    });

    it("throws the failure of the first policy in the pack's order, not the first to happen", () => {
      // "late" fails as soon as "a" is added; "stack", earlier in the pack, fails only at the end.
      const policies = [failing("stack"), reporter("ok"), failing("late", "a")];
      const run = new PolicyRun({}, policies);
      run.add(named("a"));
      assert.throws(() => run.finish(), /policy 'stack' failed on stack: stack broke/);
      assert.throws(() => runPolicies([named("a")], {}, policies), /policy 'stack' failed/);
    });

    it("reports a failed policy on the first resource it failed on, and calls neither it nor later policies again", () => {
      const calls: string[] = [];
      const run = new PolicyRun({}, [
        reporter("before", calls),
        failing("picky", "b"),
        reporter("after", calls),
      ]);
      for (const name of ["a", "b", "c"]) run.add(named(name));
      assert.throws(() => run.finish(), /policy 'picky' failed on .*Deployment::b: picky broke on b$/);
      assert.deepEqual(calls, ["before(a)", "after(a)", "before(b)", "before(c)"]);
    });

    it("refuses a policy that returns a promise, leaving no unhandled rejection behind", async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      try {
        const rejecting: ResourceValidationPolicy = {
          name: "async",
          description: "async",
          validateResource: () => Promise.reject(new Error("async policy broke")),
        };
        const run = new PolicyRun({}, [rejecting]);
        run.add(named("a"));
        assert.throws(() => run.finish(), /policy 'async' failed on .*::a: returned a promise/);
        await new Promise((resolve) => setTimeout(resolve, 10)); // rejections are reported after a tick
        assert.deepEqual(unhandled, []);
      } finally {
        process.off("unhandledRejection", onUnhandled);
      }
    });

    it("is finished once: a resource added after finish, or a second finish, is refused", () => {
      const run = new PolicyRun({}, [reporter("ok")]);
      run.finish();
      assert.throws(() => run.add(named("late")), /PolicyRun\.add after finish/);
      assert.throws(() => run.finish(), /PolicyRun\.finish called twice/);
    });
  });

  describe("exemptions", () => {
    const probes = "require-probes";
    const missing = () => withPodField("Deployment", "containers[0].readinessProbe", undefined);
    const run = (resource: string) =>
      runPolicies([missing()], { [probes]: { exemptions: [{ resource, reason: "batch worker" }] } }, [
        requireProbes,
      ]);

    it("match kind/namespace/name, the resource name, the URN or a URN suffix", () => {
      for (const resource of [
        "Deployment/shop/app",
        "app",
        missing().urn,
        "kubernetes:apps/v1:Deployment::app",
        "Deployment/shop/*",
      ]) {
        assert.deepEqual(run(resource), [], resource);
      }
    });

    it("do not match another resource", () => {
      assert.deepEqual(
        run("Deployment/other/app").map((v) => v.message),
        ['spec.template.spec.containers[0] "app": missing readinessProbe'],
      );
    });
  });
});
