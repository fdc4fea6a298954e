import { workloadPolicy } from "../lib/define";
import { isRecord, record } from "../lib/paths";
import { containersOf } from "../lib/podSpec";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const ALLOWED_TYPES: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

function allowedAnnotation(value: unknown): boolean {
  return (
    value === "" ||
    value === null ||
    value === "runtime/default" ||
    (typeof value === "string" && value.startsWith("localhost/"))
  );
}

/**
 * Pod Security Standards baseline, "AppArmor", as `policy/check_appArmorProfile.go` of
 * k8s.io/pod-security-admission decides it: a pod or container `appArmorProfile` (every container
 * list), when set, has type `RuntimeDefault` or `Localhost`; the legacy
 * `container.apparmor.security.beta.kubernetes.io/*` annotations are empty, `runtime/default` or
 * `localhost/*`.
 */
export const restrictAppArmor = workloadPolicy({
  name: "restrict-apparmor",
  description: "Pods do not disable AppArmor (Pod Security Standards baseline).",
  enforcementLevel: "mandatory",
  check: ({ pod, report }) => {
    const podProfile = record(pod.spec.securityContext).appArmorProfile;
    if (isRecord(podProfile) && !ALLOWED_TYPES.has(podProfile.type)) {
      report(
        `${pod.path}.securityContext.appArmorProfile.type is ${JSON.stringify(podProfile.type ?? null)}`,
      );
    }
    for (const c of containersOf(pod)) {
      const profile = record(c.container.securityContext).appArmorProfile;
      if (isRecord(profile) && !ALLOWED_TYPES.has(profile.type))
        report(`${c.label}: securityContext.appArmorProfile.type is ${JSON.stringify(profile.type ?? null)}`);
    }
    for (const [key, value] of Object.entries(record(pod.metadata.annotations))) {
      if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(value)) {
        report(`${pod.metadataPath}.annotations["${key}"] is ${JSON.stringify(value)}`);
      }
    }
  },
});
