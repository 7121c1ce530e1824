// A meeting with a speaking round and family time, in real browsers against the
// real server: the coordinator's console, the shared screen and three phones
// (mother, neighbour, Veilig Thuis). The screen and every phone show whose turn it
// is; in family time the professional's phone, the console and the screen pause
// and show nothing of the family's list until the family brings it.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { checkSurfaces, type Surface } from './surfaces';

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

test('a speaking round and family time', async ({ browser }) => {
  const coordCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const coord = await coordCtx.newPage();
  await coord.goto('/');
  await coord.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await coord.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await coord.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(coord.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();
  await coord.getByLabel('Naam van het gezin').fill('Gezin R.');
  await coord.getByRole('button', { name: 'Gezin toevoegen' }).click();
  await coord.getByText('Nieuw gesprek').click();
  await coord.getByLabel('Gezin', { exact: true }).selectOption({ label: 'Gezin R.' });
  await coord.getByLabel('Titel').fill('Top-3-gesprek');
  await coord.getByLabel('Naam van partij 1').fill('Moeder');
  await coord.getByLabel('Naam van partij 2').fill('Veilig Thuis');
  await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
  await coord.getByLabel('Naam van partij 3').fill('Buurvrouw');
  await coord.getByLabel('Soort partij 3').selectOption('network');
  await coord.getByLabel('Eerst een ronde over wat goed gaat').uncheck();
  await coord.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(coord).toHaveURL(/\/meetings\//);
  const meetingId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';

  const screenCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1920, height: 1080 }, storageState: await coordCtx.storageState() });
  const screen = await screenCtx.newPage();
  await screen.goto(`/screen/${encodeURIComponent(meetingId)}`);
  await expect(screen.getByTestId('join-code')).toHaveText(code);

  const sanne = await phone(browser, code, 'Sanne', 'Moeder');
  const els = await phone(browser, code, 'Els', 'Buurvrouw');
  const anouk = await phone(browser, code, 'Anouk', 'Veilig Thuis');
  // Everyone waiting is let in with one action.
  await expect(coord.getByTestId('pending-list').locator('li')).toHaveCount(3);
  await coord.getByTestId('admit-all').click();
  await expect(coord.getByTestId('pending-list').locator('li')).toHaveCount(0);
  await expect(sanne.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();

  const surfaces: Surface[] = [
    { name: 'coordinator', page: coord },
    { name: 'screen', page: screen },
    { name: 'phone-sanne', page: sanne },
    { name: 'phone-els', page: els },
    { name: 'phone-anouk', page: anouk },
  ];

  // Worries with a speaking round: family first (the mother, then the neighbour, then Veilig Thuis).
  await coord.getByRole('button', { name: /Verder naar: Zorgen/ }).click();
  await coord.getByLabel('Tijd per beurt').selectOption({ label: '2 min.' });
  await coord.getByTestId('round-start').click();
  for (const p of [screen, sanne, els, anouk, coord]) {
    await expect(p.getByTestId('turn-now')).toHaveText('Moeder');
    await expect(p.getByTestId('turn-next')).toHaveText('Daarna: Buurvrouw');
    await expect(p.getByTestId('turn-clock')).toContainText('Nog ');
  }
  // Only the phone of the party at turn can pass.
  await expect(anouk.getByTestId('round-pass')).toHaveCount(0);
  await checkSurfaces('13-round-mother', surfaces);
  await sanne.getByTestId('round-pass').click();
  for (const p of [screen, sanne, els, anouk]) await expect(p.getByTestId('turn-now')).toHaveText('Buurvrouw');
  await expect(coord.getByTestId('round-controls')).toContainText('overgeslagen');
  await coord.getByTestId('round-next').click();
  for (const p of [screen, sanne, els, anouk]) {
    await expect(p.getByTestId('turn-now')).toHaveText('Veilig Thuis');
    await expect(p.getByTestId('turn-next')).toHaveText('Dit is de laatste beurt.');
  }
  await expect(anouk.getByTestId('round-pass')).toBeVisible();
  await checkSurfaces('14-round-last', surfaces);
  await coord.getByTestId('round-next').click();
  for (const p of [screen, sanne, anouk]) await expect(p.getByTestId('speaking-turn')).toHaveCount(0);

  // Family time: the family's side writes a shared list; the rest pauses.
  await coord.getByTestId('family-start').click();
  await expect(anouk.getByTestId('family-time-pause')).toBeVisible();
  await expect(screen.getByTestId('screen-family-time')).toBeVisible();
  await expect(coord.getByTestId('console-family-time')).toBeVisible();
  await coord.getByLabel('Woordvoerder van het gezin').selectOption({ label: 'Sanne' });
  await sanne.getByLabel('Wat willen jullie bespreken?').fill('We willen meer rust in huis');
  await sanne.getByRole('button', { name: 'Op de lijst zetten' }).click();
  await els.getByLabel('Wat willen jullie bespreken?').fill('Alleen voor ons: oom drinkt');
  await els.getByRole('button', { name: 'Op de lijst zetten' }).click();
  // One shared list: the neighbour sees the mother's item and marks it to bring.
  const rest = els.getByTestId('family-list').locator('li', { hasText: 'We willen meer rust in huis' });
  await rest.getByLabel('Dit leggen we op tafel').check();
  await expect(sanne.getByTestId('family-list').locator('li', { hasText: 'We willen meer rust in huis' }).getByLabel('Dit leggen we op tafel')).toBeChecked();
  await expect(sanne.getByTestId('family-list')).toContainText('Alleen voor ons: oom drinkt');
  await checkSurfaces('15-family-time', surfaces);
  for (const p of [anouk, coord, screen]) {
    await expect(p.getByText('We willen meer rust in huis')).toHaveCount(0);
    await expect(p.getByText('oom drinkt')).toHaveCount(0);
  }

  // The spokesperson ends family time: what the family brings is on the table.
  await sanne.getByTestId('family-end').click();
  await expect(screen.getByTestId('table-items')).toContainText('We willen meer rust in huis');
  await expect(anouk.getByTestId('table-items')).toContainText('We willen meer rust in huis');
  await expect(coord.getByText('We willen meer rust in huis').first()).toBeVisible();
  for (const p of [anouk, coord, screen]) await expect(p.getByText('oom drinkt')).toHaveCount(0);
  await checkSurfaces('16-family-brought', surfaces);
});
