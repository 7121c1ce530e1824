// A phone on a poor link (Chromium's network emulation: 400 ms latency, 50 KB/s
// each way) with an empty cache opens the join page and joins. The test asserts
// only that the page works on that link; how long it took is written to
// test-results/poor-link.json for docs/BENCHMARKS.md (tools/bench-poor-link.sh),
// never asserted.
import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resultsDir } from './surfaces';

const base = () => process.env.TAFEL_E2E_BASE_URL ?? '';
const LINK = { latency: 400, bytesPerSecond: 50 * 1024 };

test('the join page works on a 400 ms, 50 KB/s link with an empty cache', async ({ browser, playwright }) => {
  test.setTimeout(240_000);
  const api = await playwright.request.newContext({ baseURL: base() });
  expect((await api.post('/api/auth/login', { data: { email: process.env.TAFEL_E2E_EMAIL, password: process.env.TAFEL_E2E_PASSWORD } })).ok()).toBeTruthy();
  const family = await (await api.post('/api/families', { data: { label: 'Gezin P.' } })).json();
  const meeting = await (
    await api.post('/api/meetings', {
      data: { familyId: family.id, title: 'Top-3-gesprek', date: '2030-03-01', parties: [{ name: 'Moeder', kind: 'family' }] },
    })
  ).json();

  const ctx = await browser.newContext({ baseURL: base(), viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  // A new context starts with an empty cache (disabling the cache would also drop preloads).
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: LINK.latency,
    downloadThroughput: LINK.bytesPerSecond,
    uploadThroughput: LINK.bytesPerSecond,
  });
  // The moment the code field and its button exist and can be used, measured in the page.
  await page.addInitScript(() => {
    const w = window as unknown as { __usable?: number };
    const check = () => {
      const input = document.querySelector<HTMLInputElement>('#code');
      const button = input?.form?.querySelector<HTMLButtonElement>('button[type=submit]');
      if (w.__usable === undefined && input && !input.disabled && button && !button.disabled) w.__usable = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  });
  const responses: { url: string; encoding: string; status: number; length: number }[] = [];
  page.on('response', (r) => {
    const h = r.headers();
    responses.push({ url: new URL(r.url()).pathname, encoding: h['content-encoding'] ?? '', status: r.status(), length: Number(h['content-length'] ?? 0) });
  });

  await page.goto('/join');
  await expect(page.locator('#code')).toBeEditable({ timeout: 60_000 });

  // It works on this link: the code leads to the meeting's form, and joining to the waiting room.
  await page.locator('#code').fill(meeting.joinCode);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Gezin P.' })).toBeVisible({ timeout: 60_000 });
  await page.locator('#name').fill('Noor');
  await page.getByRole('radio', { name: 'Moeder' }).check();
  await page.locator('button[type=submit]').click();
  await expect(page.getByTestId('waiting')).toBeVisible({ timeout: 60_000 });

  // Text files came compressed (the build leaves files under 512 bytes as they are).
  const plain = responses.filter((r) => (/\.(js|css)$/.test(r.url) || r.url === '/join') && r.status === 200 && r.encoding === '' && r.length >= 512);
  expect(plain).toEqual([]);

  const timing = await page.evaluate(() => {
    const w = window as unknown as { __usable?: number };
    const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    return { usableMs: w.__usable ?? null, firstContentfulPaintMs: paint };
  });
  expect(timing.usableMs).not.toBeNull();
  mkdirSync(resultsDir, { recursive: true });
  const beforeJoin = responses.slice(0, responses.findIndex((r) => r.url.startsWith('/api/join/')));
  writeFileSync(
    `${resultsDir}poor-link.json`,
    JSON.stringify(
      {
        link: `${LINK.latency} ms latency, ${LINK.bytesPerSecond / 1024} KB/s down and up, empty cache`,
        joinFormUsableMs: Math.round(timing.usableMs!),
        firstContentfulPaintMs: timing.firstContentfulPaintMs === null ? null : Math.round(timing.firstContentfulPaintMs),
        filesBeforeTheCode: beforeJoin.map((r) => `${r.url}${r.encoding ? ` (${r.encoding})` : ''}`),
      },
      null,
      2,
    ) + '\n',
  );
  await ctx.close();
  await api.dispose();
});
