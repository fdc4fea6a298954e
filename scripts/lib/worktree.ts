// A temporary `git worktree` of another commit, outside the repository, removed afterwards.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "./cli";

/** A commit checked out in a temporary directory. */
export interface Worktree {
  /** The worktree's root. */
  readonly root: string;
  /** Where the project (the directory of `Pulumi.yaml`) is inside it. */
  readonly projectDir: string;
}

function git(cwd: string, ...args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.error) throw new UsageError(`--diff needs git on the PATH (${result.error.message})`);
  return { ok: result.status === 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** The commit `ref` names in the repository holding `projectDir`; bad refs are usage errors. */
export function resolveCommit(projectDir: string, ref: string): string {
  if (!git(projectDir, "rev-parse", "--git-dir").ok)
    throw new UsageError(`--diff: ${projectDir} is not inside a git repository`);
  const commit = git(projectDir, "rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`);
  if (!commit.ok || !/^[0-9a-f]{40,64}$/.test(commit.stdout))
    throw new UsageError(`--diff: unknown git ref "${ref}"`);
  return commit.stdout;
}

/**
 * Checks `commit` out in a new worktree under the system's temporary directory, runs `use` on it,
 * and removes the worktree afterwards, whether `use` succeeds, fails or the process is interrupted.
 * The worktree shares the project's installed packages (no second install), see {@link linkModules}.
 */
export async function withWorktree<T>(
  projectDir: string,
  commit: string,
  use: (tree: Worktree) => Promise<T>,
): Promise<T> {
  const prefix = git(projectDir, "rev-parse", "--show-prefix").stdout;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
  const tree = { root, projectDir: path.join(root, prefix) };
  const remove = () => removeWorktree(projectDir, tree);
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const added = git(projectDir, "worktree", "add", "--detach", "--quiet", root, commit);
    if (!added.ok) throw new UsageError(`--diff: git worktree add failed: ${added.stderr}`);
    if (fs.existsSync(tree.projectDir)) linkModules(projectDir, tree.projectDir);
    return await use(tree);
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    remove();
  }
}

/**
 * Gives the worktree a `node_modules` of its own whose entries are symlinks to the project's. Not
 * one link for the whole folder: tools write caches into `node_modules/.cache` keyed by file path,
 * and the worktree's entries would pile up in the project's cache under a new path at every run.
 */
function linkModules(projectDir: string, worktreeDir: string): void {
  const modules = path.join(projectDir, "node_modules");
  if (!fs.existsSync(modules)) return;
  const real = fs.realpathSync(modules);
  const own = path.join(worktreeDir, "node_modules");
  fs.mkdirSync(own);
  for (const entry of fs.readdirSync(real)) {
    if (entry !== ".cache") fs.symlinkSync(path.join(real, entry), path.join(own, entry));
  }
}

function removeWorktree(projectDir: string, tree: Worktree): void {
  // The links first: removing them never follows them into the project's node_modules.
  fs.rmSync(path.join(tree.projectDir, "node_modules"), { recursive: true, force: true });
  git(projectDir, "worktree", "remove", "--force", tree.root);
  fs.rmSync(tree.root, { recursive: true, force: true });
  git(projectDir, "worktree", "prune");
}
