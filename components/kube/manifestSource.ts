import { bundledDownload, OfflineBundle } from "../../offline";

/**
 * Where a Kubernetes manifest the program reads from a URL comes from: the URL, or, with an
 * offline bundle, the bundle's copy (checked against bundle.json when the configuration was loaded).
 * @throws BundleError when the bundle lacks it.
 */
export function manifestSource(url: string, bundle?: OfflineBundle): string {
  return bundle ? bundledDownload(bundle, url) : url;
}
