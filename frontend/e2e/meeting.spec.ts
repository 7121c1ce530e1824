// A whole top-3-gesprek in real browsers against the real server: one
// coordinator, one shared screen, three phones (one in English), from the
// lobby to a closed plan. Every surface is screenshot and axe-checked in
// every phase.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { checkSurfaces, type Surface } from './surfaces';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

const phoneOptions = {
  viewport: { width: 360, height: 640 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

async function newPhone(browser: Browser, locale: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ ...phoneOptions, baseURL: base(), locale });
  return { ctx, page: await ctx.newPage() };
}

async function joinWithPhone(page: Page, code: string, name: string, party: string, english = false) {
  await page.goto(`/join/${code}`);
  if (english) await page.getByRole('combobox', { name: 'Taal' }).selectOption('en');
  await page.getByLabel(english ? 'Your name' : 'Je naam').fill(name);
  await page.getByRole('radio', { name: party }).check();
  await page.getByRole('button', { name: english ? 'Join' : 'Meedoen', exact: true }).click();
  await expect(page.getByTestId('waiting')).toBeVisible();
}

async function addWorry(page: Page, text: string, english = false) {
  await page.getByLabel(english ? 'New worry' : 'Nieuwe zorg').fill(text);
  await page.getByRole('button', { name: english ? 'Add' : 'Toevoegen', exact: true }).click();
  const mine = page.getByTestId('my-items').locator('li', { hasText: text });
  await expect(mine).toContainText(english ? 'Private — not visible to others yet' : 'Privé — nog niet zichtbaar voor anderen');
  await expect(page.getByText(english ? 'Sending…' : 'Wordt verstuurd…')).toHaveCount(0);
}

async function next(coord: Page, phaseName: string) {
  await coord.getByRole('button', { name: new RegExp(`Verder naar: ${phaseName}`) }).click();
  await expect(coord.getByRole('navigation', { name: 'Rondes van het gesprek' }).locator('[aria-current="step"]')).toHaveText(phaseName);
}

test('a whole meeting, from lobby to closed plan', async ({ browser }) => {
  const worries = {
    money: 'Er is te weinig geld voor eten',
    moneyDup: 'Het geld is op voor het eind van de maand',
    rent: 'De huur is al drie maanden niet betaald',
    fights: 'We argue a lot at home',
    tension: 'De kinderen zien veel ruzie',
  };

  // Coordinator signs in and prepares the meeting.
  const coordCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const coord = await coordCtx.newPage();
  await coord.goto('/');
  await coord.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await coord.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await coord.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(coord.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();

  await coord.getByLabel('Naam van het gezin').fill('Gezin J.');
  await coord.getByRole('button', { name: 'Gezin toevoegen' }).click();
  await expect(coord.getByTestId('family-list')).toContainText('Gezin J.');

  await coord.getByText('Nieuw gesprek').click();
  await coord.getByLabel('Gezin', { exact: true }).selectOption({ label: 'Gezin J.' });
  await coord.getByLabel('Titel').fill('Top-3-gesprek');
  await coord.getByLabel('Naam van partij 1').fill('Moeder');
  await coord.getByLabel('Naam van partij 2').fill('Gebiedsteam');
  await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
  await coord.getByLabel('Naam van partij 3').fill('Vader');
  await coord.getByLabel('Soort partij 3').selectOption('family');
  await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
  await coord.getByLabel('Naam van partij 4').fill('Veilig Thuis');
  await coord.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(coord).toHaveURL(/\/meetings\//);
  const meetingId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';
  expect(code).not.toBe('');

  // The shared screen uses the coordinator's session.
  const screenCtx = await browser.newContext({
    baseURL: base(),
    viewport: { width: 1920, height: 1080 },
    storageState: await coordCtx.storageState(),
  });
  const screen = await screenCtx.newPage();
  await screen.goto(`/screen/${encodeURIComponent(meetingId)}`);
  await expect(screen.getByTestId('join-code')).toHaveText(code);
  // Readable from five metres: body text on the shared screen is at least 28 px.
  const screenFont = await screen.locator('main, .screen').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(screenFont).toBeGreaterThanOrEqual(28);
  await expect(screen.getByRole('img', { name: new RegExp(code) })).toBeVisible();

  // Three phones join: Sanne (mother), Ahmed (father, in English), Petra (gebiedsteam).
  const sanne = await newPhone(browser, 'nl-NL');
  const ahmed = await newPhone(browser, 'en-GB');
  const petra = await newPhone(browser, 'nl-NL');
  await joinWithPhone(sanne.page, code, 'Sanne', 'Moeder');
  await joinWithPhone(ahmed.page, code, 'Ahmed', 'Vader', true);
  await joinWithPhone(petra.page, code, 'Petra', 'Gebiedsteam');
  await expect(ahmed.page.getByText('Waiting to be let in')).toBeVisible();

  const surfaces: Surface[] = [
    { name: 'coordinator', page: coord },
    { name: 'screen', page: screen },
    { name: 'phone-sanne', page: sanne.page },
    { name: 'phone-ahmed-en', page: ahmed.page },
    { name: 'phone-petra', page: petra.page },
  ];

  // Lobby: pending people are on the coordinator's list, not on the screen.
  const pending = coord.getByTestId('pending-list');
  await expect(pending.locator('li')).toHaveCount(3);
  await expect(screen.getByTestId('at-table')).not.toContainText('Sanne');
  await checkSurfaces('01-lobby-pending', surfaces);

  for (const name of ['Sanne', 'Ahmed', 'Petra']) {
    await pending.getByRole('button', { name: new RegExp(`^Toelaten\\W+${name}$`) }).click();
  }
  await expect(pending.locator('li')).toHaveCount(0);
  await expect(sanne.page.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();
  await expect(ahmed.page.getByRole('heading', { name: 'You are in' })).toBeVisible();
  await expect(sanne.page.getByRole('status')).toHaveText('Je bent toegelaten');
  await expect(ahmed.page.getByRole('status')).toHaveText('You have been let in');
  await expect(screen.getByTestId('at-table')).toContainText('Sanne');
  await expect(screen.getByTestId('at-table')).toContainText('Ahmed');
  await expect(screen.getByTestId('at-table')).toContainText('Petra');
  // A party invited late is added in the lobby and appears everywhere.
  await coord.getByLabel('Naam van de partij').fill('Buurvrouw');
  await coord.getByLabel('Soort partij', { exact: true }).selectOption('network');
  await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
  await expect(screen.getByTestId('at-table')).toContainText('Buurvrouw');
  await checkSurfaces('02-lobby-admitted', surfaces);

  // What goes well.
  await next(coord, 'Wat goed gaat');
  await sanne.page.getByLabel('Wat gaat goed', { exact: true }).fill('De kinderen gaan elke dag naar school');
  await sanne.page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(sanne.page.getByTestId('my-items')).toContainText('Privé — nog niet zichtbaar voor anderen');
  await expect(screen.getByTestId('table-items')).not.toContainText('elke dag naar school');
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(screen.getByTestId('table-items')).toContainText('De kinderen gaan elke dag naar school');
  await checkSurfaces('03-strengths', surfaces);

  // Worries: drafts stay private until revealed, party by party.
  await next(coord, 'Zorgen');
  await addWorry(sanne.page, worries.money);
  await addWorry(petra.page, worries.rent);
  await addWorry(petra.page, worries.moneyDup);
  await addWorry(ahmed.page, worries.fights, true);
  // Petra edits a draft, then withdraws it: it never reaches the table.
  await addWorry(petra.page, 'Dubbel opgeschreven');
  const draft = petra.page.getByTestId('my-items').locator('li', { hasText: 'Dubbel opgeschreven' });
  await draft.getByRole('button', { name: /^Aanpassen/ }).click();
  await petra.page.getByLabel('Tekst aanpassen').fill('Dubbel opgeschreven, aangepast');
  await petra.page.getByRole('button', { name: 'Opslaan' }).click();
  const edited = petra.page.getByTestId('my-items').locator('li', { hasText: 'Dubbel opgeschreven, aangepast' });
  await expect(edited).toBeVisible();
  await edited.getByRole('button', { name: /^Intrekken/ }).click();
  await expect(petra.page.getByText('Dubbel opgeschreven')).toHaveCount(0);
  await coord.getByLabel('Voor wie').selectOption({ label: 'Veilig Thuis' });
  await coord.getByLabel('Nieuwe zorg').fill(worries.tension);
  await coord.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(coord.getByText(worries.tension)).toBeVisible();
  await checkSurfaces('04-worries-drafts', surfaces);
  for (const p of [screen, ahmed.page, petra.page, coord]) {
    await expect(p.getByText(worries.money)).toHaveCount(0);
  }
  await expect(sanne.page.getByText(worries.rent)).toHaveCount(0);

  await coord.getByRole('button', { name: 'Onthul Moeder' }).click();
  await expect(screen.getByTestId('table-items')).toContainText(worries.money);
  await expect(petra.page.getByTestId('table-items')).toContainText(worries.money);
  // The screen says whose turn it was, in its own language.
  await expect(screen.getByRole('status')).toHaveText('Moeder is aan de beurt: 1 nieuw punt op tafel');
  await expect(screen.getByTestId('table-items')).not.toContainText(worries.rent);
  await expect(sanne.page.getByTestId('my-items')).toContainText('Op tafel');
  await checkSurfaces('05-worries-mother-revealed', surfaces);

  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  for (const text of Object.values(worries)) {
    await expect(screen.getByTestId('table-items')).toContainText(text);
  }
  await expect(screen.getByText('Dubbel opgeschreven')).toHaveCount(0);
  await checkSurfaces('06-worries-all-revealed', surfaces);

  // Cluster: merge by menu, merge by drag, undo one.
  await next(coord, 'Samenvoegen');
  const cluster = coord.getByTestId('cluster-list');
  const dupCard = cluster.locator('li', { hasText: worries.moneyDup });
  await dupCard.getByRole('button', { name: /Samenvoegen met/ }).click();
  await dupCard.getByLabel('Samenvoegen met').selectOption({ label: worries.money });
  await expect(cluster.locator(':scope > li')).toHaveCount(4);
  await expect(cluster.locator('li', { hasText: worries.money })).toContainText(worries.moneyDup);

  await cluster.locator(':scope > li', { hasText: worries.tension }).dragTo(cluster.locator(':scope > li', { hasText: worries.fights }));
  await expect(cluster.locator(':scope > li')).toHaveCount(3);
  await cluster.getByRole('button', { name: new RegExp(`^Weer los maken\\W+${worries.tension}$`) }).click();
  await expect(cluster.locator(':scope > li')).toHaveCount(4);
  await checkSurfaces('07-cluster', surfaces);

  // Rank: every phone taps its top 3; Petra loses her connection halfway.
  await next(coord, 'Top 3 kiezen');
  const rank = async (page: Page, text: string, place: number, english = false) => {
    const row = page.getByTestId('rank-list').locator('li', { hasText: text });
    await row.getByRole('button', { name: `${english ? 'Place' : 'Plaats'} ${place}` }).click();
  };
  await rank(sanne.page, worries.money, 1);
  await rank(sanne.page, worries.tension, 2);
  await rank(sanne.page, worries.rent, 3);
  await expect(sanne.page.getByTestId('rank-state')).toContainText('Opgeslagen');
  await rank(ahmed.page, worries.fights, 1, true);
  await rank(ahmed.page, worries.money, 2, true);
  await expect(ahmed.page.getByTestId('rank-state')).toContainText('Saved');

  await rank(petra.page, worries.rent, 1);
  await expect(petra.page.getByTestId('rank-state')).toContainText('Opgeslagen');
  await petra.ctx.setOffline(true);
  await expect(petra.page.getByText('Geen internet. Je werk wordt bewaard.')).toBeVisible();
  await expect(petra.page.getByRole('status')).toHaveText('Verbinding herstellen');
  await rank(petra.page, worries.money, 2);
  await rank(petra.page, worries.tension, 3);
  await expect(petra.page.getByTestId('rank-state')).toContainText('Wordt opgeslagen');
  await checkSurfaces('08-rank-petra-offline', surfaces);
  await petra.ctx.setOffline(false);
  await expect(petra.page.getByText('Verbonden', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(petra.page.getByTestId('rank-state')).toContainText('Opgeslagen');

  // Secret ballots: while the round is open the screen and the console show who
  // has chosen, never a result that moves with each ballot.
  await expect(screen.getByTestId('screen-rank-progress')).toHaveText('3 van 3 hebben gekozen');
  await expect(screen.getByTestId('ranking')).toHaveCount(0);
  await expect(coord.getByTestId('rank-progress')).toHaveText('3 van 3 hebben gekozen');
  await expect(coord.getByTestId('ranking')).toHaveCount(0);
  await coord.getByTestId('rank-close').click();
  await expect(screen.getByText('3 mensen hebben gekozen')).toBeVisible();
  await expect(screen.getByTestId('ranking').locator('li').first()).toContainText(worries.money);
  await expect(screen.getByTestId('family-top3')).toContainText(worries.money);
  // Petra is the only professional: the professionals' top 3 would be her ballot.
  await expect(screen.getByTestId('professional-top3')).toHaveCount(0);
  await expect(petra.page.getByTestId('rank-closed')).toHaveText('De stemronde is gesloten. Je keuze is meegeteld.');
  await expect(petra.page.getByRole('button', { name: 'Plaats 1' }).first()).toBeDisabled();
  // Petra's ranking was saved once, with all three places, and nothing was duplicated.
  await petra.page.reload();
  const petraRanked = petra.page.getByTestId('rank-list').locator('li.ranked');
  await expect(petraRanked).toHaveCount(3);
  await expect(petra.page.getByTestId('rank-list').locator('li')).toHaveCount(4);
  await expect(screen.getByTestId('ranking').locator('li')).toHaveCount(4);
  await checkSurfaces('09-rank-done', surfaces);

  // Agree: confirm the computed top 3; the mother says akkoord.
  await next(coord, 'Afspreken');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(screen.getByTestId('agreed-top3')).toContainText(worries.money);
  await expect(sanne.page.getByTestId('agreed-top3')).toContainText(worries.money);
  await sanne.page.getByRole('button', { name: 'Akkoord, namens ons gezin' }).click();
  await expect(sanne.page.getByText('Je hebt akkoord gegeven')).toBeVisible();
  await expect(petra.page.getByRole('button', { name: 'Akkoord, namens ons gezin' })).toHaveCount(0);
  await petra.page.getByText('Ben je het er niet mee eens?').click();
  await petra.page.getByLabel('Wat wil je zeggen?').fill('De huur moet op 1, anders volgt een uitzetting');
  await petra.page.getByRole('button', { name: 'Versturen' }).click();
  await expect(screen.getByText('De huur moet op 1, anders volgt een uitzetting')).toBeVisible();
  await checkSurfaces('10-agree', surfaces);

  // Plan: goal, score, an action, regisseur and evaluation date; then close.
  await next(coord, 'Plan');
  const first = coord.getByTestId('plan-worry').first();
  await first.getByLabel('Wat willen we zien?').fill('Er is elke dag genoeg eten in huis');
  await first.getByLabel('Hoe gaat het nu (0-10)').selectOption('3');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  await first.getByLabel('Wat', { exact: true }).fill('Aanvraag bijzondere bijstand doen');
  await first.getByLabel('Wie', { exact: true }).selectOption({ label: 'Gebiedsteam' });
  await first.getByLabel('Wanneer klaar').fill('2030-04-01');
  await first.getByRole('button', { name: 'Actie toevoegen' }).click();
  await expect(first).toContainText('Aanvraag bijzondere bijstand doen');
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Gebiedsteam' });
  await coord.getByLabel('Rol van de regisseur').fill('Gezinscoach');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(screen.getByTestId('plan')).toContainText('Er is elke dag genoeg eten in huis');
  await expect(screen.getByTestId('plan')).toContainText('Gezinscoach');
  await expect(ahmed.page.getByTestId('plan')).toContainText('Aanvraag bijzondere bijstand doen');
  // How to reach the regisseur, in the plain shape too: the family sees it on the phone.
  const contact = coord.getByTestId('contact-form');
  await contact.getByLabel('Organisatie').fill('Gebiedsteam Voorbeeld');
  await contact.getByLabel('E-mail (werk)').fill('gezinscoach@example.org');
  await contact.getByRole('button', { name: 'Opslaan' }).click();
  await expect(sanne.page.getByTestId('regisseur-contact')).toContainText('gezinscoach@example.org');
  await expect(ahmed.page.getByTestId('regisseur-contact')).toContainText('How to reach the regisseur');
  await checkSurfaces('11-plan', surfaces);

  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();
  await expect(sanne.page.getByRole('heading', { name: 'Het plan is klaar' })).toBeVisible();
  await expect(ahmed.page.getByRole('heading', { name: 'The plan is ready' })).toBeVisible();
  await expect(screen.getByTestId('screen-phase')).toHaveText('Afgesloten');
  await expect(sanne.page.getByTestId('plan')).toContainText('Gezinscoach');
  await expect(sanne.page.getByRole('textbox')).toHaveCount(0);
  await checkSurfaces('12-closed', surfaces);

  for (const c of [coordCtx, screenCtx, sanne.ctx, ahmed.ctx, petra.ctx]) await c.close();
});
