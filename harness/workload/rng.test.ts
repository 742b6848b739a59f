import { describe, expect, it } from "vitest";
import { KeyChooser, Rng } from "./rng.js";
import outbox from "../../implementations/outbox/pattern.js";
import { defaultWorkload } from "../scenario/scenario.js";

describe("seeded randomness", () => {
  it("the same seed gives the same operations; another seed does not", () => {
    const ops = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 500 }, (_, i) => outbox.nextOp(i, rng, defaultWorkload));
    };
    expect(ops(7)).toEqual(ops(7));
    expect(ops(7)).not.toEqual(ops(8));
  });

  it("zipf skew concentrates on the first keys; skew 0 is roughly uniform", () => {
    const count = (skew: number) => {
      const rng = new Rng(1),
        k = new KeyChooser(100, skew),
        c = new Array(100).fill(0);
      for (let i = 0; i < 20_000; i++) c[k.choose(rng)]++;
      return c as number[];
    };
    const uniform = count(0),
      hot = count(1.2);
    expect(Math.max(...uniform) / Math.min(...uniform)).toBeLessThan(1.6);
    expect(hot[0]! / 20_000).toBeGreaterThan(0.15);
  });
});
