// First run: a fresh Tafel prints a one-time setup link; the first coordinator opens
// it, creates the organisation and their account, and is signed in. This spec starts
// its own server on an empty data directory, because the shared one has an account.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultsDir, seriousViolations } from './surfaces';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = process.env.TAFEL_BIN ?? join(repo, 'bin', 'tafel');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

test('the first coordinator sets Tafel up through the one-time link', async ({ page }) => {
  test.skip(!existsSync(bin), `no server binary at ${bin} (set TAFEL_BIN)`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tafel-setup-'));
  const server = spawn(bin, ['serve'], {
    env: { ...process.env, TAFEL_ADDR: `127.0.0.1:${port}`, TAFEL_DATA_DIR: dataDir, TAFEL_BASE_URL: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    const link = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no setup link in:\n${output}`)), 20_000);
      server.stdout?.on('data', (d: Buffer) => {
        output += d.toString();
        const m = output.match(/(http:\/\/\S+\/setup\?token=[a-z0-9]+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect(link.startsWith(`${base}/setup?token=`)).toBeTruthy();

    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(resultsDir, 'setup-first-run.png'), fullPage: true });
    await page.locator('#s-org').fill('Gebiedsteam Zuid');
    await page.locator('#s-name').fill('Marieke');
    await page.locator('#s-email').fill('marieke@example.org');
    await page.locator('#s-pw').fill('een-lang-en-goed-wachtwoord');
    await page.locator('button[type=submit]').click();
    // Signed in, on the console, and the token has left the address bar.
    await expect(page.getByText('Gebiedsteam Zuid').first()).toBeVisible();
    expect(page.url()).not.toContain('token=');
    const me = await page.request.get(`${base}/api/auth/me`);
    expect(me.ok()).toBeTruthy();
    expect((await me.json()).role).toBe('admin');

    // The link worked once: opened again it no longer sets anything up.
    const again = await page.request.post(`${base}/api/setup`, {
      data: { token: new URL(link).searchParams.get('token'), organisation: 'X', name: 'X', email: 'x@example.org', password: 'nog-een-lang-wachtwoord' },
    });
    expect(again.status()).toBe(403);
  } finally {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
