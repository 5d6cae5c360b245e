// The API started as a group of processes (AKD_API_PROCESSES=2), as a deployment runs it: one
// primary process that prepares the database and forks two processes that share the port.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const START_TIMEOUT_MS = 180_000;
const TOKEN_BANNER = 'No API token existed, so an editor token was created';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Ids of the child processes of `pid` that run the API, from /proc. */
async function apiChildren(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (stat === null || !cmdline.includes('main.ts')) continue;
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) children.push(Number(entry));
  }
  return children.sort((a, b) => a - b);
}

async function waitFor<T>(
  description: string,
  probe: () => Promise<T | null>,
  timeoutMs = START_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}.`);
    await sleep(200);
  }
}

describe('API process group', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let url: string;
  let stdout = '';
  let stderr = '';
  let editorToken: string;

  /** Sends a GraphQL request on a new connection, so that the primary hands it to the next process. */
  async function graphql(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<Response> {
    return fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' },
      body: JSON.stringify({ query, variables }),
    });
  }

  before(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        AKD_API_HOST: '127.0.0.1',
        AKD_API_PORT: String(port),
        AKD_API_PROCESSES: '2',
        AKD_API_TOKEN_CACHE_MS: '600000',
        AKD_ADMIN_TOKEN: '',
        AKD_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor('both API processes to listen', async () => {
      if (child.exitCode !== null) throw new Error(`The API exited:\n${stdout}${stderr}`);
      return stderr.includes('API processes listening') ? true : null;
    });
    editorToken = /^\s+(akd_\S+)$/m.exec(stdout)?.[1] ?? '';
  });

  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await db.drop();
  });

  it('creates and prints the initial token once', async () => {
    assert.equal(stdout.split(TOKEN_BANNER).length - 1, 1, stdout);
    assert.match(editorToken, /^akd_/);
    assert.equal((await apiChildren(child.pid as number)).length, 2);
  });

  it('counts the requests of every process', async () => {
    for (let index = 0; index < 10; index++) {
      assert.equal((await graphql('{ datasets { id } }', {}, editorToken)).status, 200);
    }
    const metrics = await (await fetch(`${url}/metrics`, { headers: { connection: 'close' } })).text();
    const line = metrics
      .split('\n')
      .find((text) =>
        text.startsWith('akd_http_requests_total{method="POST",route="/graphql",status="200"}'),
      );
    assert.equal(line?.split(' ').at(-1), '10', metrics);
  });

  it('revocation reaches every process', async () => {
    const created = await graphql(
      'mutation { createApiToken(input: { name: "soon revoked" }) { token apiToken { id } } }',
      {},
      editorToken,
    );
    const body = (await created.json()) as {
      data: { createApiToken: { token: string; apiToken: { id: string } } };
    };
    const { token, apiToken } = body.data.createApiToken;
    // Both processes verify the token and keep it for the 10-minute cache time.
    for (let index = 0; index < 4; index++)
      assert.equal((await graphql('{ datasets { id } }', {}, token)).status, 200);
    const revoked = await graphql(
      'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
      { id: apiToken.id },
      editorToken,
    );
    assert.equal(revoked.status, 200);
    for (let index = 0; index < 4; index++) {
      assert.equal((await graphql('{ datasets { id } }', {}, token)).status, 401, `request ${index + 1}`);
    }
  });

  it('replaces a process that dies', async () => {
    const [victim, survivor] = await apiChildren(child.pid as number);
    process.kill(victim, 'SIGKILL');
    const replaced = await waitFor('a new API process', async () => {
      const children = await apiChildren(child.pid as number);
      return children.length === 2 && !children.includes(victim) ? children : null;
    });
    assert.ok(replaced.includes(survivor));
    await waitFor('the new process to listen', async () =>
      stderr.split('API processes listening').length - 1 >= 2 ? true : null,
    );
    assert.equal((await fetch(`${url}/health`, { headers: { connection: 'close' } })).status, 200);
    assert.match(stderr, /an API process exited; starting another/);
  });

  it('stops every process on SIGTERM', async () => {
    const children = await apiChildren(child.pid as number);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    for (const pid of children) {
      assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} still runs`);
    }
    assert.equal(stdout.split(TOKEN_BANNER).length - 1, 1);
  });
});
