import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, the working directory of every service (the worker resolves tsx from it). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));

/** Returns the host part of a URL for a listening address: loopback for a wildcard address, IPv6 in brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Exit code and signal of a service process. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Program of a service: a TypeScript entry point run through tsx, or any command. */
export type ServiceCommand = { entry: string } | { command: string; args: string[] };

/**
 * A child process of the demo (the API, the worker or the dashboard) in its own process group,
 * with stdout and stderr appended to a log file.
 */
export class ServiceProcess {
  readonly exited: Promise<ServiceExit>;
  private exit: ServiceExit | null = null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    /** File that receives the process's stdout and stderr. */
    readonly logPath: string,
    /** Signal the whole process group (a command such as npm that starts its own children). */
    private readonly signalGroup: boolean,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  /**
   * Starts `command` detached from the terminal's process group, so that Ctrl-C reaches only the
   * demo. A TypeScript entry point gets an IPC channel and a preloaded module that stops it when
   * the demo ends without stopping it first.
   */
  static start(
    name: string,
    command: ServiceCommand,
    env: NodeJS.ProcessEnv,
    logPath: string,
  ): ServiceProcess {
    mkdirSync(dirname(logPath), { recursive: true });
    const log = openSync(logPath, 'a');
    try {
      writeSync(log, `\n--- ${name} started by akd demo at ${new Date().toISOString()}\n`);
      const options = { cwd: REPOSITORY_ROOT, env, detached: true };
      if ('entry' in command) {
        const child = fork(command.entry, [], {
          ...options,
          execArgv: ['--import', 'tsx', '--import', EXIT_WITH_PARENT],
          stdio: ['ignore', log, log, 'ipc'],
        });
        return new ServiceProcess(name, child, logPath, false);
      }
      const child = spawn(command.command, command.args, { ...options, stdio: ['ignore', log, log] });
      return new ServiceProcess(name, child, logPath, true);
    } finally {
      // The child has its own copy of the descriptor.
      closeSync(log);
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Exit code and signal of the process, or null while it runs. */
  get exitStatus(): ServiceExit | null {
    return this.exit;
  }

  /** Sends `signal` to the process (or its group); does nothing once it has exited. */
  signal(signal: NodeJS.Signals): void {
    if (this.exit || this.child.pid === undefined) return;
    try {
      process.kill(this.signalGroup ? -this.child.pid : this.child.pid, signal);
    } catch (error) {
      // ESRCH: it exited between the check and the signal.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /**
   * Sends SIGKILL to the process and everything it started: the process leads its own process
   * group, which its children (such as the worker's training processes) join.
   */
  killGroup(): void {
    if (this.exit || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /**
   * Sends SIGTERM and waits up to `timeoutMs` for the process to exit, then kills its process
   * group. Resolves with how it ended.
   */
  async stop(timeoutMs: number): Promise<ServiceExit> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.killGroup(), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Returns the last `lines` lines of the log file. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Describes how the process ended, with the tail of its log, for an error message. */
  describeExit(): string {
    const how = this.exit?.signal ? `signal ${this.exit.signal}` : `code ${this.exit?.code}`;
    return `The ${this.name} (pid ${this.pid}) exited with ${how}. Last lines of ${this.logPath}:\n${this.logTail()}`;
  }
}
