/**
 * Waits for `work` at most `ms` (real time): true if it settled (fulfilled or rejected) in
 * time, false if not. The work is not cancelled; shutdown uses the answer to decide
 * whether to release what the unfinished work holds (start-pipeline.ts).
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (!Number.isFinite(ms)) {
    await work.catch(() => undefined);
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
