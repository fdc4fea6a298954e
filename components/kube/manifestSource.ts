import { bundledDownload, OfflineBundle } from "../../offline";
import { fromBundle } from "./fromBundle";

/**
 * Where a Kubernetes manifest the program reads from a URL comes from: the URL, or, with an
 * offline bundle, the bundle's copy (checked against bundle.json when the configuration was loaded).
 * @throws pulumi.RunError naming `platform:offlineBundle` when the bundle lacks it.
 */
export function manifestSource(url: string, bundle?: OfflineBundle): string {
  return bundle ? fromBundle(() => bundledDownload(bundle, url)) : url;
}
