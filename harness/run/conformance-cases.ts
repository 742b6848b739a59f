import type { ConformanceCase, Pattern, Strategy } from "./contracts.js";

/** A case of the pattern's profile, named so a reader sees it was not chosen by the strategy. */
export const profileCaseName = (name: string) => `profile: ${name}`;

/**
 * The cases a strategy is judged by: the pattern's profile, then its own. A reference must survive both; the
 * profile adds to its own cases, never replaces them. A control is wrong on purpose and is judged by its own
 * cases only: they name the fault that provokes its flaw, where a profile case might miss it.
 */
export function conformanceCases(pattern: Pattern, strategy: Strategy): ConformanceCase[] {
  const own = strategy.conformance ?? [];
  if (strategy.control) return own;
  const profile = (pattern.profile?.(strategy) ?? []).map((c) => ({ ...c, name: profileCaseName(c.name) }));
  return [...profile, ...own];
}
