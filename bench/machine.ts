// Describes the machine a benchmark runs on, so that every printed figure comes with the CPU, the core
// count and the load average. A high load average at the start means other processes were using the
// CPU, so throughput figures of that run are lower than the machine can reach.
import { availableParallelism, cpus, loadavg } from 'node:os';

/** CPU, core count and load of the machine, as a benchmark reports them. */
export interface MachineInfo {
  cpuModel: string;
  /** Cores this process may use (`os.availableParallelism()`). */
  cores: number;
  /** Load average over 1, 5 and 15 minutes when the benchmark started. */
  loadAverage: [number, number, number];
  node: string;
  platform: string;
}

/** Load average over 1 minute, per core, above which {@link formatMachine} adds a warning. */
const BUSY_LOAD_PER_CORE = 0.25;

/** Reads the CPU model, core count and current load average. */
export function describeMachine(): MachineInfo {
  const [one, five, fifteen] = loadavg();
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    loadAverage: [round(one, 2), round(five, 2), round(fifteen, 2)],
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * Formats `machine` as one line, plus a warning line when the 1-minute load average shows that other
 * processes were using the CPU at the start.
 */
export function formatMachine(machine: MachineInfo): string {
  const load = machine.loadAverage.map((value) => value.toFixed(2)).join(' ');
  const line =
    `machine: ${machine.cpuModel}, ${machine.cores} cores, load average ${load} (1/5/15 min) at start, ` +
    `Node ${machine.node}, ${machine.platform}`;
  if (machine.loadAverage[0] <= BUSY_LOAD_PER_CORE * machine.cores) return line;
  return (
    `${line}\nwarning: the load average is ${machine.loadAverage[0].toFixed(2)} on ${machine.cores} cores, ` +
    'so other processes are using the CPU and the figures below understate this machine. ' +
    'Rerun on a quiet machine before quoting them.'
  );
}

/** Formats the current 1-minute load average, for a line at the end of a run. */
export function formatLoadNow(): string {
  return `load average at end: ${loadavg()[0].toFixed(2)} (1 min)`;
}

/** Rounds `value` to `digits` decimals, for JSON output. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
