import { providers, type Environment, type ProviderName } from "./environment.js";
import { NativeEnvironment, type NativeOptions } from "./native/native-environment.js";
import { ExternalEnvironment, externalConfigFromEnv } from "./external.js";
import { dockerAnswers } from "./docker-answers.js";

/**
 * Picks the environment: the one asked for, else external when DGH_* endpoints are set,
 * else containers when a Docker engine answers, else native (what dgh's own machines use).
 */
export async function openEnvironment(
  choice: ProviderName | "auto" = "auto",
  native: NativeOptions = {},
): Promise<Environment> {
  if (choice !== "auto" && !providers.includes(choice)) {
    throw new Error(`unknown environment "${choice}"; allowed: auto, ${providers.join(", ")}`);
  }
  const external = externalConfigFromEnv();
  if (choice === "external" || (choice === "auto" && external)) {
    if (!external)
      throw new Error(
        "the external environment needs endpoints: set DGH_KAFKA, DGH_POSTGRES, DGH_REDIS (host:port), optionally DGH_TOXIPROXY_URL and DGH_CONNECT_URL, or DGH_ENV_FILE",
      );
    return ExternalEnvironment.connect(external);
  }
  if (choice === "containers" || (choice === "auto" && (await dockerAnswers()))) {
    // Loaded only here: Testcontainers takes 0.7 s to import, which every run without Docker would pay.
    const { ContainersEnvironment } = await import("./containers.js");
    return ContainersEnvironment.start();
  }
  return NativeEnvironment.start(native);
}
