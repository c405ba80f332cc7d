/** Waits `ms` real milliseconds (the bench's own pacing, not the scaled clock). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
