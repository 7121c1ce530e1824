// Right-to-left: Tafel has no Arabic catalogue yet, but its layout must already
// work when one comes (DESIGN: more languages without code changes). The page is
// switched to dir="rtl", as the language module does for an RTL locale, and must
// then mirror: text starts on the right, nothing is wider than the phone.
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { resultsDir, seriousViolations } from './surfaces';

const base = () => process.env.TAFEL_E2E_BASE_URL ?? '';

test.use({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });

async function toRTL(page: Page) {
  await page.evaluate(() => {
    document.documentElement.dir = 'rtl';
  });
}

/** Checks the page mirrors: headings and labels start at the right edge, no sideways scroll. */
async function checkMirrored(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'page wider than the phone').toBeLessThanOrEqual(0);
  const heading = page.getByRole('heading', { level: 1 });
  const box = await heading.boundingBox();
  const textRight = await heading.evaluate((el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    const rects = r.getClientRects();
    return rects[0]?.right ?? 0;
  });
  expect(box).not.toBeNull();
  // The heading's text ends (starts, in RTL) near the right edge of its box.
  expect(Math.abs(box!.x + box!.width - textRight)).toBeLessThan(4);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: join(resultsDir, `rtl-${name}.png`), fullPage: true });
}

test('the phone mirrors right-to-left', async ({ page, playwright }) => {
  const request = await playwright.request.newContext({ baseURL: base() });
  const login = await request.post('/api/auth/login', {
    data: { email: process.env.TAFEL_E2E_EMAIL, password: process.env.TAFEL_E2E_PASSWORD },
  });
  expect(login.ok()).toBeTruthy();
  const family = await (await request.post('/api/families', { data: { label: 'عائلة ج.' } })).json();
  const meeting = await (
    await request.post('/api/meetings', {
      data: { familyId: family.id, title: 'Top-3-gesprek', date: '2030-03-01', parties: [{ name: 'الأم', kind: 'family' }] },
    })
  ).json();

  await page.goto(`${base()}/join`);
  await toRTL(page);
  await checkMirrored(page, 'join');

  await page.locator('#code').fill(meeting.joinCode);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'عائلة ج.' })).toBeVisible();
  await toRTL(page);
  await page.locator('#name').fill('سارة');
  await page.getByRole('radio', { name: 'الأم' }).check();
  await page.locator('button[type=submit]').click();
  await expect(page.getByTestId('waiting')).toBeVisible();
  await toRTL(page);
  await checkMirrored(page, 'lobby');
  await request.dispose();
});
