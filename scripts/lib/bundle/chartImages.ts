import { parseYamlDocuments, toResources } from "../../../policies/manifest";
import { containersOf, podSpecOf } from "../../../policies/lib/podSpec";

/**
 * The images a rendered chart runs (`helm template` output): every container, init container and
 * ephemeral container of every pod-carrying object, in order, without repeats.
 */
export function renderedImages(manifest: string, source: string): string[] {
  const images: string[] = [];
  for (const resource of toResources(parseYamlDocuments(manifest, source), source)) {
    const pod = podSpecOf(resource.type, resource.props);
    if (!pod) continue;
    for (const { container } of containersOf(pod)) {
      const image = container.image;
      if (typeof image === "string" && !images.includes(image)) images.push(image);
    }
  }
  return images;
}

/** The image list `k0s airgap list-images` prints: one reference a line. */
export function parseImageList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
