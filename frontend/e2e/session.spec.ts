// A phone is known by an HttpOnly cookie for its meeting, never by a token the
// page can read: after joining, after opening a link with a token, and after
// an older version had kept the token in localStorage.
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';

const base = () => process.env.TAFEL_E2E_BASE_URL ?? '';

async function meetingWithJoiners(request: APIRequestContext, names: string[]) {
  const login = await request.post('/api/auth/login', {
    data: { email: process.env.TAFEL_E2E_EMAIL, password: process.env.TAFEL_E2E_PASSWORD },
  });
  expect(login.ok()).toBeTruthy();
  const family = await (await request.post('/api/families', { data: { label: 'Gezin L.' } })).json();
  const res = await request.post('/api/meetings', {
    data: { familyId: family.id, title: 'Top-3-gesprek', date: '2030-03-01', strengthsRound: false, weighting: 'person', parties: [{ name: 'Moeder', kind: 'family' }] },
  });
  const meeting = (await res.json()) as { id: string; joinCode: string };
  // Joined by a non-browser client, which gets the token in the body; it keeps
  // cookies, so each next person says they are someone else (newPerson).
  const tokens: string[] = [];
  for (const name of names) {
    const joined = await request.post(`/api/join/${meeting.joinCode}`, { data: { name, partyId: 'party1', newPerson: true } });
    expect(joined.status()).toBe(201);
    tokens.push(((await joined.json()) as { token: string }).token);
  }
  return { ...meeting, tokens };
}

/** Nothing the page's scripts can reach holds a token. */
async function expectNoReadableToken(page: Page, ctx: BrowserContext, meetingId: string, token: string) {
  const seen = await page.evaluate(() => ({
    storage: Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join(';'),
    cookie: document.cookie,
    url: location.href,
  }));
  expect(seen.storage).not.toContain(token);
  expect(seen.storage).not.toContain('tafel.token.');
  expect(seen.cookie).not.toContain(token);
  expect(seen.url).not.toContain(token);
  const cookies = await ctx.cookies();
  const p = cookies.find((c) => c.name === 'tafel_p');
  expect(p, 'the participant cookie').toBeDefined();
  expect(p).toMatchObject({ value: token, httpOnly: true, sameSite: 'Strict', path: `/api/meetings/${meetingId}` });
}

test('a token in a link becomes an HttpOnly cookie and leaves the address bar', async ({ browser, playwright }) => {
  const request = await playwright.request.newContext({ baseURL: base() });
  const meeting = await meetingWithJoiners(request, ['Lotte', 'Noah']);

  for (const [i, link] of [`/m/${meeting.id}?t=${meeting.tokens[0]}`, `/m/${meeting.id}#t=${meeting.tokens[1]}`].entries()) {
    const ctx = await browser.newContext({ baseURL: base() });
    const page = await ctx.newPage();
    await page.goto(link);
    await expect(page.getByTestId('waiting')).toBeVisible();
    await expect(page.getByText(i === 0 ? 'Lotte' : 'Noah')).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`/m/${meeting.id}`);
    expect(page.url()).not.toContain('t=');
    await expectNoReadableToken(page, ctx, meeting.id, meeting.tokens[i]!);
    // After a reload the cookie alone carries on.
    await page.reload();
    await expect(page.getByTestId('waiting')).toBeVisible();
    await ctx.close();
  }
  await request.dispose();
});

test('a token an older version stored is moved into the cookie once', async ({ browser, playwright }) => {
  const request = await playwright.request.newContext({ baseURL: base() });
  const meeting = await meetingWithJoiners(request, ['Mila']);
  const token = meeting.tokens[0]!;
  const ctx = await browser.newContext({ baseURL: base() });
  const page = await ctx.newPage();
  await page.goto('/join');
  await page.evaluate(([id, tok]) => localStorage.setItem(`tafel.token.${id}`, tok!), [meeting.id, token]);
  await page.goto(`/m/${meeting.id}`);
  await expect(page.getByTestId('waiting')).toBeVisible();
  await expect(page.getByText('Mila')).toBeVisible();
  await expectNoReadableToken(page, ctx, meeting.id, token);
  await ctx.close();
  await request.dispose();
});

test('a phone that joined keeps no token, and a link for another meeting does not open this one', async ({ browser, playwright }) => {
  const request = await playwright.request.newContext({ baseURL: base() });
  const meeting = await meetingWithJoiners(request, []);
  const other = await meetingWithJoiners(request, ['Daan']);
  const ctx = await browser.newContext({ baseURL: base(), viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(`/join/${meeting.joinCode}`);
  await page.getByLabel('Je naam').fill('Sem');
  await page.getByRole('radio', { name: 'Moeder' }).check();
  await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await expect(page.getByTestId('waiting')).toBeVisible();
  const cookie = (await ctx.cookies()).find((c) => c.name === 'tafel_p');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: `/api/meetings/${meeting.id}` });
  await expectNoReadableToken(page, ctx, meeting.id, cookie!.value);

  // The other meeting's token in this meeting's link is refused: this phone is not let in there.
  await page.goto(`/m/${meeting.id}#t=${other.tokens[0]}`);
  await expect(page.getByTestId('waiting')).toBeVisible();
  await expect(page.getByText('Sem')).toBeVisible();
  await page.goto(`/m/${other.id}`);
  await expect(page.getByRole('heading', { name: 'Je bent nog niet aangemeld' })).toBeVisible();
  await ctx.close();
  await request.dispose();
});
