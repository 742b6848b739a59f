import fs from "node:fs";

/** True when a Docker engine answers on its socket (the client binary alone is not enough). */
export async function dockerAnswers(): Promise<boolean> {
  const sock = process.env.DOCKER_HOST?.replace(/^unix:\/\//, "") ?? "/var/run/docker.sock";
  if (!fs.existsSync(sock)) return false;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
