import { describe, expect, it } from "vitest";
import { describeOptions, resolveOptions, type OptionSpecs } from "./options.js";

const specs: OptionSpecs = {
  batchSize: { type: "integer", min: 1, max: 100, default: 10, description: "rows per poll" },
  cleanup: {
    type: "string",
    values: ["mark", "delete"],
    default: "mark",
    description: "what happens to published rows",
  },
  verbose: { type: "boolean", default: false, description: "log more" },
};

describe("strategy options", () => {
  it("declared defaults, then the strategy's defaults, then the scenario's; CLI strings are typed", () => {
    expect(resolveOptions("s", specs, { cleanup: "delete" }, { batchSize: "25", verbose: "true" })).toEqual({
      batchSize: 25,
      cleanup: "delete",
      verbose: true,
    });
    expect(resolveOptions("s", specs, {}, { batchSize: 0 + 1 })).toMatchObject({ batchSize: 1 });
  });
  it.each([
    [{ batchsize: 5 }, /strategy s has no option "batchsize"; options: batchSize, cleanup, verbose/],
    [{ batchSize: "abc" }, /option batchSize must be a whole number, got "abc"/],
    [{ batchSize: 2.5 }, /option batchSize must be a whole number/],
    [{ batchSize: 0 }, /option batchSize must be >= 1, got 0/],
    [{ batchSize: 101 }, /must be <= 100/],
    [{ cleanup: "drop" }, /option cleanup must be one of mark, delete/],
    [{ verbose: "yes" }, /option verbose must be true or false/],
  ])("refuses %j", (given, message) => {
    expect(() => resolveOptions("s", specs, {}, given)).toThrow(message);
  });
  it("a strategy that declares none refuses any", () => {
    expect(() => resolveOptions("mine", {}, {}, { x: 1 })).toThrow(
      /strategy mine has no option "x"; it takes no options/,
    );
  });
  it("describes each option in one line", () => {
    expect(describeOptions(specs)).toEqual([
      "batchSize (integer 1–100, default 10): rows per poll",
      "cleanup (mark|delete, default mark): what happens to published rows",
      "verbose (boolean, default false): log more",
    ]);
  });
});
