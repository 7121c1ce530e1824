// Starts the real Tafel server for the browser tests, unless TAFEL_E2E_BASE_URL
// points at one already running (then TAFEL_E2E_EMAIL and TAFEL_E2E_PASSWORD
// must name a coordinator there).
//
// Otherwise it builds the frontend and `bin/tafel` (`go build -tags
// embedfrontend`), or uses the binary in TAFEL_BIN as it is, creates a
// coordinator with `tafel user create` in a fresh data directory, and starts
// the server on a free loopback port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(base: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`tafel exited with ${server.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tafel did not become ready at ${base}:\n${log()}`);
}

/** Creates the first coordinator with the CLI (it migrates the fresh database itself). */
function createCoordinator(bin: string, env: NodeJS.ProcessEnv, email: string, password: string): void {
  const args = ['user', 'create', '--organisation', 'Gebiedsteam Noord', '--email', email, '--name', 'Marieke'];
  try {
    execFileSync(bin, [...args, '--password-stdin'], { env, input: `${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch {
    execFileSync(bin, [...args, '--password', password], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.TAFEL_E2E_BASE_URL) {
    if (!process.env.TAFEL_E2E_EMAIL || !process.env.TAFEL_E2E_PASSWORD) {
      throw new Error('TAFEL_E2E_BASE_URL needs TAFEL_E2E_EMAIL and TAFEL_E2E_PASSWORD');
    }
    return async () => {};
  }

  let bin = process.env.TAFEL_BIN ?? '';
  if (!bin) {
    // Build the frontend and the binary that embeds it, so the test never runs a stale app.
    bin = join(repo, 'bin', 'tafel');
    execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
    execFileSync('go', ['build', '-tags', 'embedfrontend', '-o', bin, './server/cmd/tafel'], { cwd: repo, stdio: 'inherit' });
  } else if (!existsSync(bin)) {
    throw new Error(`TAFEL_BIN=${bin} does not exist`);
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tafel-e2e-'));
  const env = {
    ...process.env,
    TAFEL_ADDR: `127.0.0.1:${port}`,
    TAFEL_DATA_DIR: dataDir,
    TAFEL_BASE_URL: base,
  };
  const email = 'coordinator@example.org';
  const password = 'correct-horse-battery-staple';
  createCoordinator(bin, env, email, password);

  let output = '';
  const server = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitReady(base, server, () => output);

  process.env.TAFEL_E2E_BASE_URL = base;
  process.env.TAFEL_E2E_EMAIL = email;
  process.env.TAFEL_E2E_PASSWORD = password;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    mkdirSync(join(repo, 'test-results'), { recursive: true });
    writeFileSync(join(repo, 'test-results', 'server.log'), output);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
