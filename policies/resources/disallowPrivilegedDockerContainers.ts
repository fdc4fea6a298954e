import { resourcePolicy } from "../lib/define";

/**
 * Docker containers (`@pulumi/docker` Container) are not privileged unless an exemption in the stack's
 * policy config names them with a reason (the local k0s node needs it).
 */
export const disallowPrivilegedDockerContainers = resourcePolicy({
  name: "disallow-privileged-docker-containers",
  description: "Docker containers are not privileged unless exempted with a reason.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Drop privileged, or add {"resource": "<name>", "reason": "..."} to this policy\'s exemptions in the stack config.',
  appliesTo: (type) => type === "docker:index/container:Container",
  check: ({ props, report }) => {
    if (props.privileged === true) report("privileged is true and the container is not exempted");
  },
});
