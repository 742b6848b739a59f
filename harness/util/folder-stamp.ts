/** A time as report folders are named: 2026-11-27T21-39-06 (sorts by time, safe in every file system). */
export const folderStamp = (at: Date = new Date()): string => at.toISOString().replace(/[:.]/g, "-").slice(0, 19);
