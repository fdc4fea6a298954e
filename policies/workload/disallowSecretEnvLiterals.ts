import { workloadPolicy } from "../lib/define";
import { records, str } from "../lib/paths";
import { containersOf } from "../lib/podSpec";
import { looksLikeSecretKey, looksLikeSecretValue } from "../lib/secrets";

/** Secrets reach containers through `valueFrom.secretKeyRef` or mounted Secrets, never as literal env values. */
export const disallowSecretEnvLiterals = workloadPolicy({
  name: "disallow-secret-env-literals",
  description: "Containers do not put secret-looking values in literal env values.",
  enforcementLevel: "advisory",
  check: ({ pod, report }) => {
    for (const c of containersOf(pod)) {
      records(c.container.env).forEach((env, i) => {
        const name = str(env.name) ?? "";
        const value = str(env.value);
        if (value === undefined || value === "") return;
        if (looksLikeSecretKey(name) || looksLikeSecretValue(value)) {
          report(
            `${c.label}: env[${i}] "${name}" has a literal value that looks like a secret; use valueFrom.secretKeyRef`,
          );
        }
      });
    }
  },
});
