// The project's program as an Automation API inline program: the same index.ts that `pulumi up`
// runs, loaded afresh for every operation (an inline program runs in this process).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { loadProgram } from "../../scripts/lib/evaluate";

const ENTRY = path.resolve(__dirname, "..", "..", "index.ts");

/** The program, optionally with a stack transform applied to every resource it registers. */
export function inlineProgram(transform?: pulumi.ResourceTransform): PulumiFn {
  return async () => {
    if (transform) pulumi.runtime.registerResourceTransform(transform);
    return loadProgram(ENTRY);
  };
}

/**
 * A code change that breaks policy: the api Deployment's containers lose their resource limits,
 * the most common slip in a review. Applied as a stack transform, so the program itself is run
 * unchanged and the engine sees the change exactly as it would see an edited component.
 */
export const dropApiLimits: pulumi.ResourceTransform = (args) => {
  if (args.type !== "kubernetes:apps/v1:Deployment" || !args.name.endsWith("-app-api-deployment"))
    return undefined;
  type Container = { resources?: Record<string, unknown> };
  const props = args.props as { spec: { template: { spec: { containers: Container[] } } } };
  const podSpec = props.spec.template.spec;
  const containers = podSpec.containers.map(({ resources, ...container }) => {
    const { limits: _limits, ...rest } = resources ?? {};
    return { ...container, resources: rest };
  });
  const spec = { ...props.spec, template: { ...props.spec.template, spec: { ...podSpec, containers } } };
  return { props: { ...args.props, spec }, opts: args.opts };
};
