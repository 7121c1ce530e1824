// Joining by phone: keyboard only with visible focus, a wrong code, the
// language staying as chosen, and a joiner the coordinator removes.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { seriousViolations } from './surfaces';

const base = () => process.env.TAFEL_E2E_BASE_URL ?? '';

async function createMeeting(request: APIRequestContext): Promise<{ id: string; joinCode: string }> {
  const login = await request.post('/api/auth/login', {
    data: { email: process.env.TAFEL_E2E_EMAIL, password: process.env.TAFEL_E2E_PASSWORD },
  });
  expect(login.ok()).toBeTruthy();
  const family = await (await request.post('/api/families', { data: { label: 'Gezin K.' } })).json();
  const res = await request.post('/api/meetings', {
    data: {
      familyId: family.id,
      title: 'Top-3-gesprek',
      date: '2030-03-01',
      strengthsRound: false,
      weighting: 'person',
      parties: [
        { name: 'Moeder', kind: 'family' },
        { name: 'Buurvrouw', kind: 'network' },
      ],
    },
  });
  expect(res.ok()).toBeTruthy();
  return res.json();
}

async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`could not tab to ${selector}`);
}

async function focusOutline(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? getComputedStyle(el).outlineStyle : 'none';
  });
}

test.use({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });

test('a phone joins by keyboard alone, and a removed joiner is told', async ({ page, playwright, browser }) => {
  const request = await playwright.request.newContext({ baseURL: base() });
  const meeting = await createMeeting(request);

  await page.goto(`${base()}/join`);
  await tabTo(page, '#code');
  expect(await focusOutline(page)).toBe('solid');
  await page.keyboard.type('XXXXXX');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('Deze code kennen we niet');

  await page.locator('#code').fill('');
  await page.locator('#code').focus();
  await page.keyboard.type(meeting.joinCode.toLowerCase());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Gezin K.' })).toBeVisible();
  await tabTo(page, '#name');
  await page.keyboard.type('Fatima');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio', { name: 'Moeder' })).toBeChecked();
  expect(await focusOutline(page)).toBe('solid');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('waiting')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // The language stays as chosen, also after a reload; html lang follows it.
  await page.getByRole('combobox', { name: 'Taal' }).selectOption('en');
  await expect(page.getByRole('heading', { name: 'Waiting to be let in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Waiting to be let in' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

  // The coordinator removes the joiner; the phone says so and stops.
  const coordCtx = await browser.newContext({ baseURL: base(), storageState: await request.storageState() });
  const coord = await coordCtx.newPage();
  await coord.goto(`/meetings/${encodeURIComponent(meeting.id)}`);
  await coord.getByTestId('pending-list').getByRole('button', { name: /^Weghalen\W+Fatima$/ }).click();
  await expect(page.getByRole('heading', { name: 'You are no longer in the meeting' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await coordCtx.close();
  await request.dispose();
});

test('a phone without a token for the meeting is sent to join', async ({ page }) => {
  await page.goto(`${base()}/m/unknown-meeting`);
  await expect(page.getByRole('heading', { name: 'Je bent nog niet aangemeld' })).toBeVisible();
  await page.getByRole('link', { name: 'Naar aanmelden' }).click();
  await expect(page).toHaveURL(/\/join$/);
});

test('a phone that opens the join link again is the same person; someone else is an explicit choice', async ({ page, playwright }) => {
  const request = await playwright.request.newContext({ baseURL: base() });
  const meeting = await createMeeting(request);
  const people = async () => {
    const snap = await (await request.get(`/api/meetings/${encodeURIComponent(meeting.id)}/snapshot`)).json();
    return (snap.participants as { name: string }[]).map((p) => p.name).sort();
  };

  await page.goto(`${base()}/join/${meeting.joinCode}`);
  await page.locator('#name').fill('Ans');
  await page.getByRole('radio', { name: 'Buurvrouw' }).check();
  await page.getByRole('button', { name: 'Meedoen' }).click();
  await expect(page.getByTestId('waiting')).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/m/${meeting.id}$`));

  // The QR code scanned again: straight back in, as Ans, with no form.
  await page.goto(`${base()}/join/${meeting.joinCode}`);
  await expect(page).toHaveURL(new RegExp(`/m/${meeting.id}$`));
  await expect(page.getByTestId('waiting')).toBeVisible();
  await expect(page.getByText('Ans, Buurvrouw')).toBeVisible();
  // The back button to the join page: back in again.
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/m/${meeting.id}$`));
  await expect(page.getByTestId('waiting')).toBeVisible();
  // A closed tab: a new page of the same phone.
  const again = await page.context().newPage();
  await again.goto(`${base()}/join/${meeting.joinCode}`);
  await expect(again.getByTestId('waiting')).toBeVisible();
  await again.close();
  expect(await people()).toEqual(['Ans']);

  // Someone else on the same phone says so, and is a second person.
  await page.getByRole('link', { name: 'Ik ben iemand anders' }).click();
  await page.locator('#code').fill(meeting.joinCode);
  await page.keyboard.press('Enter');
  await page.locator('#name').fill('Bram');
  await page.getByRole('radio', { name: 'Moeder' }).check();
  await page.getByRole('button', { name: 'Meedoen' }).click();
  await expect(page.getByText('Bram, Moeder')).toBeVisible();
  expect(await people()).toEqual(['Ans', 'Bram']);
  expect(await seriousViolations(page)).toEqual([]);
  await request.dispose();
});
