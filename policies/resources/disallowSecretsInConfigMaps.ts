import { resourcePolicy } from "../lib/define";
import { isKind } from "../lib/kinds";
import { record } from "../lib/paths";
import { containsSecretAssignment, looksLikeSecretKey, looksLikeSecretValue } from "../lib/secrets";

/** ConfigMaps hold no secret-looking keys or values; secrets belong in Secrets. */
export const disallowSecretsInConfigMaps = resourcePolicy({
  name: "disallow-secrets-in-configmaps",
  description: "ConfigMaps do not contain secret-looking keys or values.",
  enforcementLevel: "advisory",
  appliesTo: (type) => isKind(type, ["core"], "ConfigMap"),
  check: ({ props, report }) => {
    for (const [key, value] of Object.entries(record(props.data))) {
      if (typeof value !== "string" || value === "") continue;
      if (looksLikeSecretKey(key)) report(`data["${key}"]: the key looks like a secret; use a Secret`);
      else if (looksLikeSecretValue(value) || containsSecretAssignment(value)) {
        report(`data["${key}"]: the value contains what looks like a secret; use a Secret`);
      }
    }
    for (const key of Object.keys(record(props.binaryData))) {
      if (looksLikeSecretKey(key)) report(`binaryData["${key}"]: the key looks like a secret; use a Secret`);
    }
  },
});
