// The console's small things, in a real browser against the real server:
// clearing a flooded lobby in one action, a confirmation before removing
// someone at the table, a repeated tap that is no error, "1 punt", and a
// warning when closing with goals left empty.
import { expect, test, type Browser, type Page } from '@playwright/test';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

async function phone(browser: Browser, code: string, name: string, party: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, baseURL: base(), locale: 'nl-NL' });
  const page = await ctx.newPage();
  await page.goto(`/join/${code}`);
  await page.getByLabel('Je naam').fill(name);
  await page.getByRole('radio', { name: party }).check();
  await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await expect(page.getByTestId('waiting')).toBeVisible();
  return page;
}

test('the console: lobby flood, removing, repeats, points and closing', async ({ browser }) => {
  const coordCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const coord = await coordCtx.newPage();
  await coord.goto('/');
  await coord.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await coord.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await coord.getByRole('button', { name: 'Aanmelden' }).click();
  await coord.getByLabel('Naam van het gezin').fill('Gezin C.');
  await coord.getByRole('button', { name: 'Gezin toevoegen' }).click();
  await coord.getByText('Nieuw gesprek').click();
  await coord.getByLabel('Gezin', { exact: true }).selectOption({ label: 'Gezin C.' });
  await coord.getByLabel('Titel').fill('Top-3-gesprek');
  await coord.getByLabel('Naam van partij 1').fill('Moeder');
  await coord.getByLabel('Naam van partij 2').fill('Gebiedsteam');
  await coord.getByLabel('Eerst een ronde over wat goed gaat').uncheck();
  await coord.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(coord).toHaveURL(/\/meetings\//);
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';

  // A flood of joins is cleared in one action, after a confirmation.
  for (let i = 0; i < 3; i++) await phone(browser, code, `Spam ${i}`, 'Moeder');
  await expect(coord.getByTestId('pending-list').locator('li')).toHaveCount(3);
  await coord.getByTestId('dismiss-all').click();
  await expect(coord.getByText('Alle 3 wachtenden weghalen?')).toBeVisible();
  await coord.getByTestId('dismiss-all-yes').click();
  await expect(coord.getByTestId('pending-list').locator('li')).toHaveCount(0);

  const sanne = await phone(browser, code, 'Sanne', 'Moeder');
  const petra = await phone(browser, code, 'Petra', 'Gebiedsteam');
  await coord.getByTestId('pending-list').getByRole('button', { name: /^Toelaten\W+Sanne$/ }).click();
  await coord.getByTestId('pending-list').getByRole('button', { name: /^Toelaten\W+Petra$/ }).click();
  await expect(coord.getByTestId('admitted-list').locator('li')).toHaveCount(2);
  // Removing someone at the table asks first; cancelling keeps them.
  await coord.getByTestId('admitted-list').getByRole('button', { name: /^Weghalen\W+Petra$/ }).click();
  await expect(coord.getByText('Petra van tafel halen?')).toBeVisible();
  await coord.getByTestId('admitted-list').getByRole('button', { name: 'Annuleren' }).click();
  await expect(coord.getByTestId('admitted-list').locator('li')).toHaveCount(2);
  // Locking twice (two tabs, a double tap) is no error.
  await coord.getByRole('button', { name: 'Op slot doen' }).click();
  await coord.getByRole('button', { name: 'Van slot halen' }).click();
  await expect(coord.getByRole('alert')).toHaveCount(0);

  // Worries: the console counts what each party has not revealed yet.
  await coord.getByRole('button', { name: /Verder naar: Zorgen/ }).click();
  await sanne.getByLabel('Nieuwe zorg').fill('Er is te weinig geld voor eten');
  await sanne.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await petra.getByLabel('Nieuwe zorg').fill('De huur is niet betaald');
  await petra.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(coord.getByTestId('reveal-buttons').locator('li', { hasText: 'Moeder' }).getByTestId('unrevealed')).toHaveText('nog 1 niet onthuld');
  await sanne.getByLabel('Nieuwe zorg').fill('Kim slaapt slecht');
  await sanne.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(coord.getByTestId('reveal-buttons').locator('li', { hasText: 'Moeder' }).getByTestId('unrevealed')).toHaveText('nog 2 niet onthuld');
  await coord.getByRole('button', { name: 'Onthul Moeder' }).click();
  await expect(coord.getByRole('button', { name: 'Onthul Moeder' })).toHaveCount(0);
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await coord.getByRole('button', { name: /Verder naar: Samenvoegen/ }).click();
  await coord.getByRole('button', { name: /Verder naar: Top 3 kiezen/ }).click();
  // Sanne puts the money worry at 1 (3 points); Petra taps 3 first and keeps place 3 (1 punt).
  await sanne.getByTestId('rank-list').locator('li', { hasText: 'te weinig geld' }).getByRole('button', { name: 'Plaats 1' }).click();
  await sanne.getByTestId('rank-list').locator('li', { hasText: 'slaapt' }).getByRole('button', { name: 'Plaats 2' }).click();
  await petra.getByTestId('rank-list').locator('li', { hasText: 'huur' }).getByRole('button', { name: 'Plaats 3' }).click();
  await expect(petra.getByTestId('rank-list').locator('li', { hasText: 'huur' }).locator('.place')).toHaveText('3');
  await expect(coord.getByTestId('rank-progress')).toHaveText('2 van 2 hebben gekozen');
  await coord.getByTestId('rank-close').click();
  await expect(coord.getByTestId('ranking').locator('li', { hasText: 'huur' })).toContainText('1 punt');
  await expect(coord.getByTestId('ranking').locator('li', { hasText: 'te weinig geld' })).toContainText('3 punten');

  // Agree, plan, and closing with goals left empty warns.
  await coord.getByRole('button', { name: /Verder naar: Afspreken/ }).click();
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await sanne.getByRole('button', { name: 'Akkoord, namens ons gezin' }).click();
  await expect(sanne.getByText('Je hebt akkoord gegeven')).toBeVisible();
  await coord.getByRole('button', { name: /Verder naar: Plan/ }).click();
  // Goals save themselves: no button, a visible "Opgeslagen", kept across a
  // reload, and another tab of the coordinator follows live.
  const first = coord.getByTestId('plan-worry').first();
  await first.getByLabel('Wat willen we zien?').fill('Er is elke dag genoeg eten in huis');
  await expect(first.getByTestId('goal-state')).toHaveText('✓ Opgeslagen');
  const tab2 = await coordCtx.newPage();
  await tab2.goto(coord.url());
  const first2 = tab2.getByTestId('plan-worry').first();
  await expect(first2.getByLabel('Wat willen we zien?')).toHaveValue('Er is elke dag genoeg eten in huis');
  await first2.getByLabel('Wat willen we zien?').fill('Er is elke dag genoeg eten in huis, ook in het weekend');
  await expect(first.getByLabel('Wat willen we zien?')).toHaveValue('Er is elke dag genoeg eten in huis, ook in het weekend');
  await coord.reload();
  await expect(coord.getByTestId('plan-worry').first().getByLabel('Wat willen we zien?')).toHaveValue('Er is elke dag genoeg eten in huis, ook in het weekend');
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Gebiedsteam' });
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(tab2.getByLabel('Volgende evaluatie')).toHaveValue('2030-06-01');
  await tab2.close();
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await expect(coord.getByTestId('close-empty-goals')).toHaveText('Let op: bij zorg 2, 3 staat nog geen doel.');
  await coord.getByRole('button', { name: 'Annuleren' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toHaveCount(0);
});
