import * as path from "node:path";
import { readStackConfig } from "../../../config";
import { Evaluation, loadProgram, runUnderMocks } from "../evaluate";

/** The key that points a stack at a bundle; the bundle is made from the stack without it. */
export const OFFLINE_BUNDLE_KEY = "platform:offlineBundle";

/**
 * The stack's evaluation as it runs with the network (`offlineBundle` left out): what it pulls and
 * builds is what the bundle must carry. A stack file that already names a bundle (perhaps not yet
 * written) is bundled all the same.
 */
export async function evaluateOnline(
  projectDir: string,
  stack: string,
  /** Keys set on top of the stack file's (`{"platform:routing": "gateway"}`), for tests. */
  extra: Readonly<Record<string, string>> = {},
): Promise<Evaluation> {
  const { project, values, secretKeys } = readStackConfig(projectDir, stack);
  const config = Object.fromEntries(
    Object.entries({ ...values, ...extra }).filter(([key]) => key !== OFFLINE_BUNDLE_KEY),
  );
  return runUnderMocks({ project, stack, config, secretKeys }, () =>
    loadProgram(path.resolve(projectDir, "index.ts")),
  );
}
