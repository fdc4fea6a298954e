import { bundledChart, OfflineBundle } from "../../offline";
import { fromBundle } from "./fromBundle";

/** A chart as the program pins it: name, exact version and the repository it comes from. */
export interface ChartRef {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

/** The fields of `helm.v4.Chart`'s arguments that say where the chart comes from. */
export interface ChartSource {
  readonly chart: string;
  readonly version?: string;
  readonly repositoryOpts?: { readonly repo: string };
}

/**
 * Where every chart of the program comes from: its repository, or, with an offline bundle, the
 * bundle's `.tgz` (an absolute path, which Helm loads as a local chart: no repository is read).
 * The archive's digest was checked against bundle.json when the configuration was loaded.
 * @throws pulumi.RunError naming `platform:offlineBundle` when the bundle lacks the chart at that version.
 */
export function chartSource(ref: ChartRef, bundle?: OfflineBundle): ChartSource {
  if (bundle) return { chart: fromBundle(() => bundledChart(bundle, ref.chart, ref.version)) };
  return { chart: ref.chart, version: ref.version, repositoryOpts: { repo: ref.repo } };
}
