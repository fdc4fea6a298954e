import { workloadPolicy } from "../lib/define";
import { record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function allowedAnnotation(value: unknown): boolean {
  return value === "runtime/default" || (typeof value === "string" && value.startsWith("localhost/"));
}

/**
 * Pod Security Standards baseline, "AppArmor": no `Unconfined` profile, by field (pod or container
 * `appArmorProfile.type`) or by the legacy per-container annotation.
 */
export const restrictAppArmor = workloadPolicy({
  name: "restrict-apparmor",
  description: "Pods do not disable AppArmor (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    const podType = record(record(pod.spec.securityContext).appArmorProfile).type;
    if (podType === "Unconfined") report(`${pod.path}.securityContext.appArmorProfile.type is "Unconfined"`);
    for (const c of containersOf(pod)) {
      const type = record(record(c.container.securityContext).appArmorProfile).type;
      if (type === "Unconfined") report(`${c.label}: securityContext.appArmorProfile.type is "Unconfined"`);
    }
    for (const [key, value] of Object.entries(record(pod.metadata.annotations))) {
      if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(value)) {
        report(`${pod.metadataPath}.annotations["${key}"] is ${JSON.stringify(value)}`);
      }
    }
  },
});
