import { parseArgs } from "node:util";
import { envCommand } from "./env-command.js";

const usage = `dgh — delivery-guarantee harness

  dgh env up|status|down [--name N] [--connect]   hold a native stack open and print its endpoints
  dgh demo                                        start the stack, run the demo scenario, write a report
  dgh help                                        this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true, strict: false,
    options: { name: { type: "string", default: "default" }, connect: { type: "boolean", default: false } },
  });
  switch (command) {
    case "env":
      return envCommand(positionals[0], { name: String(values.name), connect: Boolean(values.connect) });
    case "demo": {
      const { demoCommand } = await import("./demo-command.js");
      return demoCommand();
    }
    case undefined: case "help": case "--help": case "-h":
      console.log(usage);
      return 0;
    default:
      console.error(`unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
  console.error(`dgh: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.DGH_DEBUG && e instanceof Error) console.error(e.stack);
  process.exit(1);
});
