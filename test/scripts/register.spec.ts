import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers";

// Node keys V8's compile cache by absolute path: a copy of the project that links this tree's
// packages (a test's scratch project, a `plan --diff` worktree) would leave entries for its own
// files in the shared cache at every run. The loader keeps the cache only where it lasts.
describe("the loader's V8 compile cache (scripts/register.cjs)", () => {
  /** Where the compile cache of a process started with the loader in `cwd` goes; "none" for off. */
  function compileCacheDir(cwd: string): string {
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const run = spawnSync(
      process.execPath,
      [
        "-r",
        "./scripts/register.cjs",
        "-e",
        "process.stdout.write(require('node:module').getCompileCacheDir() ?? 'none')",
      ],
      { cwd, env, encoding: "utf8" },
    );
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  }

  /** A copy of the loader, with node_modules linked the way `link` says. */
  function copyWith(link: (modules: string, own: string) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-"));
    fs.cpSync(path.join(PROJECT_DIR, "scripts"), path.join(dir, "scripts"), { recursive: true });
    link(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
    return dir;
  }
  const copies: string[] = [];
  after(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("keeps it in node_modules/.cache/v8-compile of the tree that installed the packages", () => {
    assert.ok(
      compileCacheDir(PROJECT_DIR).startsWith(path.join(PROJECT_DIR, "node_modules", ".cache", "v8-compile")),
    );
  });

  it("leaves it off in a copy whose node_modules links the project's", () => {
    const dir = copyWith((modules, own) => fs.symlinkSync(modules, own));
    copies.push(dir);
    assert.equal(compileCacheDir(dir), "none");
  });

  it("leaves it off in a copy whose packages are links, as plan --diff's worktree has them", () => {
    const dir = copyWith((modules, own) => {
      fs.mkdirSync(own);
      for (const entry of fs.readdirSync(modules))
        if (entry !== ".cache") fs.symlinkSync(path.join(modules, entry), path.join(own, entry));
    });
    copies.push(dir);
    assert.equal(compileCacheDir(dir), "none");
  });
});
