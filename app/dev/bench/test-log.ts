/** BENCH_TEST_LOG=1 prints a bench-backed test's progress (and BENCH_CHILD_OUTPUT=1 the backends' logs). */
export const testLog: ((line: string) => void) | undefined = process.env.BENCH_TEST_LOG === '1' ? (line) => process.stderr.write(`${line}\n`) : undefined;
