// Coordinator continuity in a real browser against the real server: two
// coordinators of one organisation in two browser contexts. Marieke leads;
// her colleague Bram sees the meeting read-only, takes it over (with a
// confirmation), and Marieke's console learns at once. Bram then ends the
// meeting without a plan; the phones (Dutch and Ukrainian) say so and offer no
// plan, and the meeting list marks it. Screenshots: test-results/handover-*.png.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resultsDir, seriousViolations, smallTargets } from './surfaces';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

async function phone(browser: Browser, code: string, name: string, party: string, lang?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, baseURL: base(), locale: 'nl-NL' });
  if (lang) await ctx.addInitScript((l) => localStorage.setItem('tafel.lang', l), lang);
  const page = await ctx.newPage();
  await page.goto(`/join/${code}`);
  // The join form in the phone's language (Ukrainian: "Your name", "Join").
  const [nameLabel, submit] = lang === 'uk' ? ["Ваше ім'я", 'Приєднатися'] : ['Je naam', 'Meedoen'];
  await page.getByLabel(nameLabel).fill(name);
  await page.getByRole('radio', { name: party }).check();
  await page.getByRole('button', { name: submit, exact: true }).click();
  await expect(page.getByTestId('waiting')).toBeVisible();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: `${resultsDir}handover-${name}.png`, fullPage: true });
  expect.soft(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

test('a colleague takes the meeting over, the first sees it at once, and it ends without a plan', async ({ browser }) => {
  const mariekeCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const marieke = await mariekeCtx.newPage();
  await marieke.goto('/');
  await marieke.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await marieke.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await marieke.getByRole('button', { name: 'Aanmelden' }).click();
  await marieke.getByLabel('Naam van het gezin').fill('Gezin H.');
  await marieke.getByRole('button', { name: 'Gezin toevoegen' }).click();
  await marieke.getByText('Nieuw gesprek').click();
  await marieke.getByLabel('Gezin', { exact: true }).selectOption({ label: 'Gezin H.' });
  await marieke.getByLabel('Titel').fill('Overdracht');
  await marieke.getByLabel('Naam van partij 1').fill('Moeder');
  await marieke.getByLabel('Naam van partij 2').fill('Gebiedsteam');
  await marieke.getByLabel('Eerst een ronde over wat goed gaat').uncheck();
  await marieke.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(marieke).toHaveURL(/\/meetings\//);
  const meetingURL = marieke.url();
  const code = (await marieke.getByTestId('console-code').textContent())?.trim() ?? '';

  // Her colleague Bram gets an account of the same organisation, in a browser of his own.
  const made = await marieke.request.post('/api/users', { data: { email: `bram.${Date.now()}@example.org`, name: 'Bram' } });
  expect(made.status()).toBe(201);
  const token = new URL(((await made.json()) as { setupUrl: string }).setupUrl).searchParams.get('token');
  const bramCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const bram = await bramCtx.newPage();
  expect((await bram.request.post('/api/setup', { data: { token, password: 'een-heel-lang-wachtwoord-42' } })).status()).toBe(200);
  await bram.goto(meetingURL);

  // Marieke's first command makes her the lead; Bram sees every field and can change none.
  const sanne = await phone(browser, code, 'Sanne', 'Moeder');
  await marieke.getByTestId('pending-list').getByRole('button', { name: /^Toelaten\W+Sanne$/ }).click();
  await expect(marieke.getByTestId('lead-name')).toHaveText('Jij leidt dit gesprek');
  await expect(bram.getByTestId('lead-name')).toHaveText('Marieke leidt dit gesprek');
  await expect(bram.getByTestId('console-runs')).toHaveAttribute('disabled');
  await expect(bram.getByRole('button', { name: 'Op slot doen' })).toBeDisabled();
  await expect(bram.getByTestId('abandon')).toHaveCount(0);
  const olena = await phone(browser, code, 'Olena', 'Gebiedsteam', 'uk');
  await marieke.getByTestId('pending-list').getByRole('button', { name: /^Toelaten\W+Olena$/ }).click();
  await marieke.getByRole('button', { name: /Verder naar: Zorgen/ }).click();
  await sanne.getByLabel('Nieuwe zorg').fill('Er is te weinig geld voor eten');
  await sanne.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(bram.getByRole('button', { name: 'Alles onthullen' })).toBeDisabled();
  await shot(bram, 'watching');

  // Bram takes over: it asks first, and cancelling changes nothing.
  await bram.getByTestId('takeover').click();
  await expect(bram.getByText('Wil je dit gesprek overnemen van Marieke?')).toBeVisible();
  await bram.getByRole('button', { name: 'Annuleren' }).click();
  await expect(marieke.getByTestId('lead-name')).toHaveText('Jij leidt dit gesprek');
  await bram.getByTestId('takeover').click();
  await bram.getByTestId('takeover-yes').click();
  // Marieke's console learns at once, and becomes the read-only view.
  await expect(marieke.getByTestId('lead-name')).toHaveText('Bram leidt dit gesprek');
  await expect(marieke.getByTestId('console-runs')).toHaveAttribute('disabled');
  await expect(marieke.getByRole('button', { name: 'Alles onthullen' })).toBeDisabled();
  await expect(marieke.getByTestId('takeover')).toBeVisible();
  await expect(bram.getByTestId('lead-name')).toHaveText('Jij leidt dit gesprek');
  await expect(bram.getByTestId('console-runs')).not.toHaveAttribute('disabled');
  await shot(marieke, 'taken-over');
  await shot(bram, 'leading');

  // Marieke closes her laptop; Bram ends the meeting without a plan, after a reason.
  await mariekeCtx.close();
  await bram.getByTestId('abandon').click();
  await bram.getByTestId('abandon-yes').click();
  await expect(bram.getByTestId('abandon-form').getByRole('alert').last()).toHaveText('Kies een reden.');
  await bram.getByRole('radio', { name: 'De gespreksleider is weg' }).check();
  await bram.getByLabel(/Toelichting/).fill('Marieke moest weg; nieuw gesprek volgt.');
  await shot(bram, 'abandon-confirm');
  await bram.getByTestId('abandon-yes').click();
  await expect(bram.getByTestId('console-ended')).toHaveText('Het gesprek is gestopt zonder plan');
  await expect(bram.getByText(/Gestopt door Bram op .*Reden: De gespreksleider is weg\./)).toBeVisible();
  await expect(bram.getByText('Marieke moest weg; nieuw gesprek volgt.')).toBeVisible();
  await expect(bram.getByTestId('exports')).toHaveCount(0);
  await shot(bram, 'ended-console');

  // The phones say it ended without a plan, in their own language, and offer no plan.
  await expect(sanne.getByTestId('phone-ended')).toContainText('Het gesprek is gestopt');
  await expect(sanne.getByTestId('phone-ended')).toContainText('Er is geen plan gemaakt.');
  await expect(sanne.getByTestId('family-pdf')).toHaveCount(0);
  await expect(sanne.getByText('Het plan is klaar')).toHaveCount(0);
  await expect(olena.getByTestId('phone-ended')).toContainText('Розмову зупинено');
  await expect(olena.getByTestId('family-pdf')).toHaveCount(0);
  for (const [name, p] of [['ended-phone', sanne], ['ended-phone-uk', olena]] as const) {
    await shot(p, name);
    expect.soft(await smallTargets(p), `touch targets on ${name}`).toEqual([]);
  }
  // The shared screen shows the same, and no half-written plan.
  const screen = await bramCtx.newPage();
  await screen.setViewportSize({ width: 1920, height: 1080 });
  await screen.goto(meetingURL.replace('/meetings/', '/screen/'));
  await expect(screen.getByTestId('screen-ended')).toContainText('Het gesprek is gestopt');
  await expect(screen.getByText('Het plan is klaar')).toHaveCount(0);
  await shot(screen, 'ended-screen');
  // Nothing can be downloaded as a plan.
  expect((await bram.request.get(`${new URL(meetingURL).pathname.replace('/meetings/', '/api/meetings/')}/export.pdf`)).status()).toBe(409);

  // The meeting list says so.
  await bram.goto('/');
  await expect(bram.getByTestId('meeting-list').locator('li', { hasText: 'Gezin H. — Overdracht' })).toContainText('gestopt zonder plan');
  await shot(bram, 'list');
});
