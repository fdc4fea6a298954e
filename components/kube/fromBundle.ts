import * as pulumi from "@pulumi/pulumi";
import { BundleError } from "../../offline";

/**
 * Looks something up in the offline bundle. A bundle that lacks it stops the program as a
 * configuration error, with the message alone (no stack trace; exit 2 in `npm run plan`), since
 * the fix is to make the bundle again, not to change the code.
 * @throws pulumi.RunError naming `platform:offlineBundle` when the lookup throws a BundleError.
 */
export function fromBundle<T>(lookup: () => T): T {
  try {
    return lookup();
  } catch (error) {
    if (error instanceof BundleError)
      throw new pulumi.RunError(
        `platform:offlineBundle: ${error.message}; make the bundle again with \`npm run bundle\``,
      );
    throw error;
  }
}
