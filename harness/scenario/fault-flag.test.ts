import { describe, expect, it } from "vitest";
import { faultFlagHelp, parseFaultFlag } from "./fault-flag.js";

describe("--fault flags", () => {
  it("each kind's plug-in reads its own flag", () => {
    expect(parseFaultFlag("kill:relay@5+2")).toEqual({ atS: 5, forS: 2, fault: { kind: "kill", target: "relay" } });
    expect(parseFaultFlag("crash-at:relay:after-publish@3+4").fault).toEqual({
      kind: "crash-at",
      target: "relay",
      failpoint: "after-publish",
    });
    expect(parseFaultFlag("latency:postgres:200@1.5+0").fault).toEqual({
      kind: "toxic",
      service: "postgres",
      toxic: { type: "latency", attributes: { latency: 200 } },
    });
    expect(parseFaultFlag("slicer:kafka@1+1").fault).toMatchObject({
      toxic: { type: "slicer", attributes: { average_size: 64 } },
    });
  });
  it.each([
    ["kill-relay", /does not parse/],
    ["explode:relay@1+1", /unknown kind "explode"/],
    ["crash-at:relay@1+1", /crash-at needs a failpoint/],
    ["latency:postgres:abc@1+1", /latency must be a number >= 0/],
    ["kill:relay@-1+2", /does not parse/],
  ])("%s is refused with a message", (flag, message) => {
    expect(() => parseFaultFlag(flag)).toThrow(message);
  });
  it("the help lists every kind from its plug-in", () => {
    for (const word of ["kill:", "pause:", "restart:", "leave:", "crash-at:", "pause-at:", "link-down:", "latency:"])
      expect(faultFlagHelp).toContain(word);
  });
});
