import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the installer put the stack, and the pinned versions (versions.env is the one place they live). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const dghHome = process.env.DGH_HOME ?? path.join(repoRoot, ".dgh");

export const versions: Record<string, string> = Object.fromEntries(
  fs
    .readFileSync(path.join(repoRoot, "versions.env"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split("=", 2) as [string, string]),
);

const v = (k: string) => versions[k] ?? "";
export const stack = {
  java:
    process.env.DGH_JAVA ??
    (fs.existsSync("/usr/lib/jvm/java-17-openjdk-amd64/bin/java")
      ? "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
      : "java"),
  kafkaLib: path.join(dghHome, "lib", `kafka-${v("KAFKA_VERSION")}`),
  connectLib: path.join(dghHome, "lib", `connect-${v("KAFKA_VERSION")}`),
  debeziumPlugins: path.join(dghHome, "plugins", `debezium-${v("DEBEZIUM_VERSION")}`),
  toxiproxy: path.join(dghHome, "bin", `toxiproxy-server-${v("TOXIPROXY_VERSION")}`),
  temporal: path.join(dghHome, "bin", `temporal-${v("TEMPORAL_CLI_VERSION")}`),
  pgBin: `/usr/lib/postgresql/${v("POSTGRES_MAJOR")}/bin`,
  redis: "/usr/bin/redis-server",
  log4jConfig: path.join(repoRoot, "harness/env/config/log4j2.properties"),
};

/** Per-run folders live under the system temp dir: the postgres user must be able to reach them. */
export const runRoot = process.env.DGH_RUN_ROOT ?? path.join(os.tmpdir(), `dgh-${process.getuid?.() ?? "u"}`);

/** Throws a message that says what to do when an installed piece is missing. */
export function requireInstalled(what: string, file: string): void {
  if (!fs.existsSync(file)) {
    throw new Error(`${what} is not installed (missing ${file}). Run \`npm run setup\` (scripts/install.sh) first.`);
  }
}
