import net from "node:net";

/** A free TCP port on 127.0.0.1, chosen by the kernel (listen on 0), so two runs never pick the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number, host = "127.0.0.1", timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/** Throws a clear error if a port the user asked for is taken. */
export async function assertPortFree(port: number, who: string): Promise<void> {
  if (await isListening(port)) {
    throw new Error(
      `port ${port} (wanted by ${who}) is already in use on 127.0.0.1: stop what holds it (\`ss -ltnp 'sport = :${port}'\`) or leave the port unset so dgh picks a free one`,
    );
  }
}
