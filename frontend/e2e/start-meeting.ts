// The start of a meeting in the browser, shared by the specs that play one: the
// coordinator signs in, adds the family and prepares the meeting (in the plain or
// the Signs of Safety shape); phones join with the code and are let in; a phone's
// worries go through reveal, ranking and the agreed top 3 to the plan.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const base = (): string => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

/** Moves the meeting on to the named phase and waits until the console is there. */
export async function next(coord: Page, phaseName: string): Promise<void> {
  await coord.getByRole('button', { name: new RegExp(`Verder naar: ${phaseName}`) }).click();
  await expect(coord.getByRole('navigation', { name: 'Rondes van het gesprek' }).locator('[aria-current="step"]')).toHaveText(phaseName);
}

export interface StartedMeeting {
  coordCtx: BrowserContext;
  coord: Page;
  meetingId: string;
  code: string;
}

/**
 * Signs the coordinator in on a laptop, adds the family and makes a meeting, in the
 * plain shape unless safety is asked, without a strengths round unless asked.
 * Parties are "name" or "name:kind" (the kind as the setup form's select has it;
 * the first two default).
 */
export async function startMeeting(browser: Browser, family: string, title: string, parties: string[],
  opts: { strengths?: boolean; safety?: boolean } = {}): Promise<StartedMeeting> {
  const coordCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const coord = await coordCtx.newPage();
  await coord.goto('/');
  await coord.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await coord.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await coord.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(coord.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();
  await coord.getByLabel('Naam van het gezin').fill(family);
  await coord.getByRole('button', { name: 'Gezin toevoegen' }).click();
  await expect(coord.getByTestId('family-list')).toContainText(family);
  await coord.getByText('Nieuw gesprek').click();
  await coord.getByLabel('Gezin', { exact: true }).selectOption({ label: family });
  await coord.getByLabel('Titel').fill(title);
  if (!opts.strengths) await coord.getByLabel('Eerst een ronde over wat goed gaat').uncheck();
  if (opts.safety) await coord.getByLabel(/Plan volgens Signs of Safety/).check();
  for (const [i, p] of parties.entries()) {
    const [name = '', kind] = p.split(':');
    if (i >= 2) await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
    await coord.getByLabel(`Naam van partij ${i + 1}`).fill(name);
    if (kind) await coord.getByLabel(`Soort partij ${i + 1}`).selectOption(kind);
  }
  await coord.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(coord).toHaveURL(/\/meetings\//);
  const meetingId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';
  return { coordCtx, coord, meetingId, code };
}

/** startMeeting in the Signs of Safety shape. */
export function startSafetyMeeting(browser: Browser, family: string, title: string, parties: string[],
  opts: { strengths?: boolean } = {}): Promise<StartedMeeting> {
  return startMeeting(browser, family, title, parties, { ...opts, safety: true });
}

/**
 * From the worries round to the plan: one phone adds the worries, the coordinator
 * reveals them, the phone ranks them in the order given, and the coordinator
 * confirms them as the top 3.
 */
export async function worriesToPlan(coord: Page, phone: Page, worries: readonly string[]): Promise<void> {
  for (const w of worries) {
    await phone.getByLabel('Nieuwe zorg').fill(w);
    await phone.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await expect(phone.getByTestId('my-items')).toContainText(w);
  }
  await expect(phone.getByText('Wordt verstuurd…')).toHaveCount(0);
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  for (const [i, w] of worries.entries()) {
    await phone.getByTestId('rank-list').locator('li', { hasText: w }).getByRole('button', { name: `Plaats ${i + 1}` }).click();
  }
  await expect(phone.getByTestId('rank-state')).toContainText('Opgeslagen');
  await next(coord, 'Afspreken');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(coord.getByTestId('agreed-top3')).toContainText(worries[0]!);
  await next(coord, 'Plan');
}

export interface Phone {
  ctx: BrowserContext;
  page: Page;
}

/**
 * A 360 px phone that joins with code as name for party, in a language it chooses
 * on the join page (Dutch: none chosen), and is let in by the coordinator.
 */
export async function joinPhone(browser: Browser, coord: Page, code: string, name: string, party: string, lang = 'nl'): Promise<Phone> {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    baseURL: base(), locale: lang === 'nl' ? 'nl-NL' : lang, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`/join/${code}`);
  if (lang !== 'nl') {
    await page.getByRole('combobox', { name: 'Taal' }).selectOption(lang);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
  }
  await page.locator('#name').fill(name);
  await page.getByRole('radio', { name: party }).check();
  await page.locator('form button[type=submit]').click();
  await expect(page.getByTestId('waiting')).toBeVisible();
  await coord.getByTestId('pending-list').getByRole('button', { name: new RegExp(`^Toelaten\\W+${name}$`) }).click();
  await expect(page.getByTestId('waiting')).toHaveCount(0);
  return { ctx, page };
}
