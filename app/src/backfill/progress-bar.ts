/**
 * The backfill's progress on stderr (stdout stays clean for the summary, so it can
 * be piped): contacts done / total, percent and rate. On a terminal one line is
 * redrawn in place; elsewhere (CI logs, files) a line is written per 10 % so the log
 * stays short. The rate is wall-clock throughput, so it reads performance.now()
 * (injectable for tests), not the app's clock.
 */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Ends the line (terminal) or writes the final line. */
  finish(): void;
}

const WIDTH = 24;

export function createProgressBar(stream: ProgressStream, options: { label: string; now?: () => number }): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let lastDecile = -1;
  let last = { done: 0, total: 0 };
  let drawn = false;

  const render = (done: number, total: number) => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * WIDTH);
    const seconds = Math.max((now() - startedAt) / 1000, 1e-3);
    const rate = done / seconds;
    return `${options.label} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${done}/${total} コンタクト / contacts ${Math.floor(ratio * 100)}%  ${rate.toFixed(1)}/s`;
  };

  return {
    update(done, total) {
      last = { done, total };
      if (stream.isTTY) {
        stream.write(`\r${render(done, total)}`);
        drawn = true;
        return;
      }
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${render(done, total)}\n`);
      }
    },
    finish() {
      if (stream.isTTY) {
        if (!drawn) stream.write(render(last.done, last.total));
        stream.write('\n');
      } else if (lastDecile !== 10) {
        stream.write(`${render(last.done, last.total)}\n`);
      }
    },
  };
}
