import * as path from "node:path";
import { BundleManifest, normalizeImage } from "../../../offline";
import { PlannedArtifacts } from "./artifacts";

/**
 * What the plan needs that the bundle lacks: each image (by its full reference and target) and
 * each chart (name and version), each chart file that is not one of the bundle's, and every
 * problem the plan has (an unpinned or unknown image). Empty: the bundle covers the plan.
 */
export function missingFromBundle(
  planned: PlannedArtifacts,
  manifest: BundleManifest,
  bundleDir?: string,
): string[] {
  const images = new Set(manifest.images.map((image) => `${image.target} ${normalizeImage(image.ref)}`));
  const charts = new Set(manifest.charts.map((chart) => `${chart.chart}@${chart.version}`));
  const files = new Set(
    bundleDir === undefined ? [] : manifest.charts.map((chart) => path.resolve(bundleDir, chart.file)),
  );
  return [
    ...planned.problems,
    ...planned.images
      .filter((image) => !images.has(`${image.target} ${normalizeImage(image.ref)}`))
      .map(
        (image) =>
          `image ${image.ref} (${image.target}; for ${image.sources.join(", ")}) is not in the bundle`,
      ),
    ...planned.charts
      .filter((chart) => !charts.has(`${chart.chart}@${chart.version}`))
      .map((chart) => `chart ${chart.chart} ${chart.version} (for ${chart.source}) is not in the bundle`),
    ...planned.downloads
      .filter((download) => !manifest.manifests.some((entry) => entry.url === download.url))
      .map((download) => `manifest ${download.url} (for ${download.source}) is not in the bundle`),
    ...planned.chartFiles
      .filter((chart) => !files.has(path.resolve(chart.file)))
      .map((chart) => `chart file ${chart.file} (for ${chart.source}) is not a chart of the bundle`),
  ];
}
