import { parseArgs } from "node:util";
import { faultFlagHelp } from "../scenario/fault-flag.js";
import { InputError } from "../util/errors.js";
import { EnvironmentError } from "../env/environment.js";

const usage = `dgh — delivery-guarantee harness

  dgh run [scenario.yaml|json] [flags]            run one scenario, write its report folder under reports/ (or --out DIR)
      --pattern P --strategy S [--impl my-strategy.ts | --impl dgh-service.yaml [--impl-cmd CMD]] [--seed N] [--duration 30s] [--warmup 2s] [--no-faults]
      --rate OPS --mode open|closed --concurrency N --keys N --skew Z [--option key=value]... [--env native|external|containers]
      ${faultFlagHelp.split("\n").join("\n      ")}
  dgh conformance --pattern P (--strategy S | --impl file.ts | --impl dgh-service.yaml [--impl-cmd CMD]) [--case TEXT] [--out DIR]
                                                  the pattern's profile and the strategy's own cases: summary.md, junit.xml
  dgh list                                        patterns, strategies and their claims
  dgh report <run-dir>                            re-render a run's summary.md, report.html, junit.xml
  dgh check <run-dir>                             run the checkers and claims again on a stored run (no services)
  dgh replay <run-dir>                            run the same scenario with the same seed again
  dgh compare <run-dir>...                        runs side by side
      [--baseline base.json [--max-regression 10%]]  exit 1 when a verdict changed or a ratio to a raw baseline regressed
      [--write-baseline base.json]                 save these runs' results as the baseline
      [--html compare.html]                        the comparison page: percentile curves, bars, verdict grid
  dgh env up|status|down [--name N] [--connect]   hold a native stack open and print its endpoints
  dgh env gc                                      stop stacks whose harness died (also done at every native start)
  dgh demo                                        start the stack, run the demo scenarios, write a report
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: false,
    options: {
      name: { type: "string", default: "default" },
      connect: { type: "boolean", default: false },
      pattern: { type: "string" },
      strategy: { type: "string" },
      impl: { type: "string" },
      "impl-cmd": { type: "string" },
      seed: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      rate: { type: "string" },
      concurrency: { type: "string" },
      keys: { type: "string" },
      skew: { type: "string" },
      mode: { type: "string" },
      env: { type: "string" },
      baseline: { type: "string" },
      fault: { type: "string", multiple: true },
      option: { type: "string", multiple: true },
      out: { type: "string" },
      case: { type: "string" },
      "max-regression": { type: "string" },
      "write-baseline": { type: "string" },
      html: { type: "string" },
      "no-faults": { type: "boolean", default: false },
    },
  });
  const str = (k: string) => (values[k] === undefined ? undefined : String(values[k]));
  switch (command) {
    case "env": {
      const { envCommand } = await import("./env-command.js");
      return envCommand(positionals[0], { name: String(values.name), connect: Boolean(values.connect) });
    }
    case "run": {
      const { runCommand } = await import("./run-command.js");
      return runCommand({
        file: positionals[0],
        pattern: str("pattern"),
        strategy: str("strategy"),
        impl: str("impl"),
        implCmd: str("impl-cmd"),
        seed: str("seed"),
        duration: str("duration"),
        warmup: str("warmup"),
        rate: str("rate"),
        concurrency: str("concurrency"),
        keys: str("keys"),
        skew: str("skew"),
        mode: str("mode"),
        env: str("env"),
        baseline: str("baseline"),
        faults: (values.fault as string[] | undefined) ?? [],
        options: (values.option as string[] | undefined) ?? [],
        out: str("out"),
        noFaults: Boolean(values["no-faults"]),
      });
    }
    case "replay": {
      if (!positionals[0]) {
        console.error("usage: dgh replay <run-dir> [--out DIR]");
        return 2;
      }
      const { replayCommand } = await import("./run-command.js");
      return replayCommand(positionals[0], str("out"));
    }
    case "list": {
      const { listCommand } = await import("./list-command.js");
      return listCommand();
    }
    case "report": {
      if (!positionals[0]) {
        console.error("usage: dgh report <run-dir>");
        return 2;
      }
      const { writeReports } = await import("../report/write-reports.js");
      console.log(writeReports(positionals[0]).summary);
      return 0;
    }
    case "check": {
      if (!positionals[0]) {
        console.error("usage: dgh check <run-dir>");
        return 2;
      }
      const { checkCommand } = await import("./check-command.js");
      return checkCommand(positionals[0]);
    }
    case "compare": {
      if (!positionals.length) {
        console.error(
          "usage: dgh compare <run-dir>... [--baseline base.json [--max-regression 10%]] [--write-baseline base.json]",
        );
        return 2;
      }
      const { compareCommand } = await import("./compare-command.js");
      return compareCommand(positionals, {
        baseline: str("baseline"),
        maxRegression: str("max-regression"),
        writeBaseline: str("write-baseline"),
        html: str("html"),
      });
    }
    case "conformance": {
      const { conformanceCommand } = await import("./conformance-command.js");
      return conformanceCommand({
        pattern: str("pattern"),
        strategy: str("strategy"),
        impl: str("impl"),
        implCmd: str("impl-cmd"),
        only: str("case"),
        out: str("out"),
      });
    }
    case "demo": {
      const { demoCommand } = await import("./demo-command.js");
      return demoCommand();
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(usage);
      return 0;
    default:
      console.error(`unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`dgh: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof InputError || e instanceof EnvironmentError) process.exit(2);
    if (process.env.DGH_DEBUG && e instanceof Error) console.error(e.stack);
    // Anything else stopped the run before it could be judged (a service that would not come back, a bug):
    // unknown, never "a claim broke". Seen: Kafka not ready 90 s after a restart at load 15, then a worker failed.
    console.error("dgh: the run could not be judged (unknown); DGH_DEBUG=1 shows the stack");
    process.exit(3);
  },
);
