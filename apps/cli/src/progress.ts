import cliProgress from 'cli-progress';

/** A progress bar on stderr; on a non-terminal it prints a line at every tenth of the work. */
export interface Progress {
  update(done: number, label?: string): void;
  stop(): void;
}

/** Creates a {@link Progress} for `total` units of work titled `title`. */
export function createProgress(title: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${title.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {label} | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return {
      update: (done, label = '') => bar.update(done, { label }),
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  const started = Date.now();
  return {
    update(done, label = '') {
      const tenth = Math.floor((10 * done) / Math.max(1, total));
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stderr.write(`${title}: ${done}/${total} ${label} (${seconds} s)\n`);
    },
    stop() {},
  };
}
