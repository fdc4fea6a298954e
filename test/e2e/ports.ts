// Free TCP ports on 127.0.0.1 for the throwaway stack, so it never collides with a developer's dev
// stack (whose ports are the Pulumi.yaml defaults) or with anything else listening.
import * as net from "node:net";

/** A port held open until released, so the next allocation cannot return it again. */
export interface HeldPort {
  readonly port: number;
  release(): Promise<void>;
}

/** Asks the kernel for a free port on 127.0.0.1 and keeps it bound until `release()`. */
export function holdFreePort(): Promise<HeldPort> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      resolve({
        port: address.port,
        release: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * `count` distinct free ports, none of them in `exclude`. Every port stays held until all are
 * chosen, so the kernel cannot hand out the same one twice; all are released before returning.
 * `allocate` is injectable for tests.
 */
export async function pickFreePorts(
  count: number,
  exclude: ReadonlySet<number> = new Set(),
  allocate: () => Promise<HeldPort> = holdFreePort,
  maxAttempts = count * 10,
): Promise<number[]> {
  const held: HeldPort[] = [];
  const chosen: number[] = [];
  try {
    for (let attempt = 0; chosen.length < count; attempt++) {
      if (attempt >= maxAttempts) {
        throw new Error(
          `could not find ${count} free ports in ${maxAttempts} attempts (got ${chosen.join(", ")})`,
        );
      }
      const port = await allocate();
      held.push(port);
      if (!exclude.has(port.port) && !chosen.includes(port.port)) chosen.push(port.port);
    }
    return chosen;
  } finally {
    await Promise.all(held.map((p) => p.release()));
  }
}
