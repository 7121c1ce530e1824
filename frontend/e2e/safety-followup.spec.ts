// The safety part of "what changed" in the browser: a Signs of Safety meeting is
// closed with a scaling question the mother scored on her phone and two safety
// agreements; its follow-up reviews them (one held, one did not), the mother's
// party scores again, this time on an Arabic phone, and the console, the shared
// screen and a Dutch and an Arabic phone show per-party score changes and which
// agreements held, each in its own language.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { base, joinPhone, next, startSafetyMeeting, worriesToPlan } from './start-meeting';
import { checkSurfaces } from './surfaces';

const FAMILY = 'Gezin W.';
const QUESTION = 'Hoe veilig is Kim thuis?';
const agreements = { held: 'Bij ruzie gaat Kim naar oma', failed: 'Vader drinkt niet als Kim thuis is' };
const worries = ['Er is vaak ruzie thuis', 'Er is te weinig geld', 'Kim slaapt slecht'] as const;

type Lang = 'nl' | 'ar';
const catalogue = (l: Lang): Record<string, string> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../src/lib/i18n/${l}.json`, import.meta.url)), 'utf8')) as Record<string, string>;
const cat = { nl: catalogue('nl'), ar: catalogue('ar') };
const text = (l: Lang, key: string, params: Record<string, string> = {}): string => {
  const e = cat[l][key];
  if (typeof e !== 'string') throw new Error(`no ${key} in ${l}`);
  return Object.entries(params).reduce((s, [k, v]) => s.replace(`{${k}}`, v), e);
};

/** What the safety part of "what changed" must say, in a language. */
async function expectSafetyChanges(page: Page, l: Lang) {
  const changes = page.getByTestId('safety-changes');
  await expect(changes).toContainText(text(l, 'safety.changesScores'));
  await expect(changes).toContainText(QUESTION);
  await expect(changes).toContainText(text(l, 'safety.changesScore', { party: 'Moeder', then: '4', review: '6', now: '8' }));
  const held = changes.locator('li', { hasText: agreements.held });
  await expect(held.locator('.badge')).toHaveText(text(l, 'safety.held.held'));
  await expect(held).toContainText(text(l, 'safety.carried'));
  await expect(changes.locator('li', { hasText: agreements.failed }).locator('.badge')).toHaveText(text(l, 'safety.held.failed'));
}

test('a Signs of Safety follow-up shows per-party score changes and which safety agreements held, on the console, the screen and phones in Dutch and Arabic', async ({ browser }) => {
  test.setTimeout(150_000);
  const first = await startSafetyMeeting(browser, FAMILY, 'Veiligheidsgesprek', ['Moeder', 'Veilig Thuis']);
  const { coord, coordCtx } = first;
  const sanne = await joinPhone(browser, coord, first.code, 'Sanne', 'Moeder');

  // A short first meeting: three worries, the top 3, a plan with a scaling question
  // the mother scores 4 on her phone, and two safety agreements.
  await next(coord, 'Zorgen');
  await worriesToPlan(coord, sanne.page, worries);
  const editor = coord.getByTestId('safety-editor');
  await editor.getByLabel('Vraag').fill(QUESTION);
  await editor.getByLabel('Wat betekent 10?').fill('Iedereen weet dat Kim veilig is');
  await editor.getByLabel('Wat betekent 0?').fill('Kim kan niet thuis blijven');
  await editor.getByRole('button', { name: 'Schaalvraag toevoegen' }).click();
  await sanne.page.getByTestId('phone-scores').getByLabel(QUESTION).selectOption('4');
  await expect(sanne.page.getByTestId('safety-scale')).toContainText('Moeder: 4 / 10');
  for (const [what, planB] of [[agreements.held, 'Moeder belt Veilig Thuis'], [agreements.failed, 'Vader slaapt bij zijn broer']] as const) {
    await editor.getByLabel('Wat gebeurt er').fill(what);
    await editor.getByLabel('Wie doet het').selectOption({ label: 'Moeder' });
    await editor.getByLabel('Wie controleert het').selectOption({ label: 'Veilig Thuis' });
    await editor.getByLabel('Plan B als het niet lukt').fill(planB);
    await editor.getByRole('button', { name: 'Afspraak toevoegen' }).click();
    await expect(sanne.page.getByTestId('safety-plan')).toContainText(what);
  }
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Veilig Thuis' });
  await coord.getByLabel('Rol van de regisseur').fill('Jeugdbeschermer');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(sanne.page.getByTestId('plan')).toContainText('Jeugdbeschermer');
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();

  // The follow-up: the mother on her Dutch phone, Layla of the same party on an Arabic one.
  await coord.getByRole('button', { name: 'Vervolggesprek maken' }).click();
  await expect(coord).not.toHaveURL(new RegExp(first.meetingId));
  const followUpId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';
  const screenCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1920, height: 1080 }, storageState: await coordCtx.storageState() });
  const screen = await screenCtx.newPage();
  await screen.goto(`/screen/${encodeURIComponent(followUpId)}`);
  const sanne2 = await joinPhone(browser, coord, code, 'Sanne', 'Moeder');
  const layla = await joinPhone(browser, coord, code, 'Layla', 'Moeder', 'ar');
  await expect(layla.page.locator('html')).toHaveAttribute('dir', 'rtl');

  // The review: one agreement held, the other did not; the mother's party now says 6.
  await next(coord, 'Terugblik');
  const review = coord.getByTestId('safety-review');
  await review.getByRole('group', { name: agreements.held }).getByLabel('Gelukt', { exact: true }).check();
  await review.getByRole('group', { name: agreements.failed }).getByLabel('Niet gelukt', { exact: true }).check();
  await review.getByLabel('Moeder (vorige keer 4)').selectOption('6');
  await expect(review.getByLabel('Moeder (vorige keer 4)')).toHaveValue('6');

  // The same worries again, agreed by the coordinator; the safety plan carried forward.
  await next(coord, 'Zorgen');
  for (const w of worries) {
    await coord.getByTestId('previous-worries').getByRole('button', { name: new RegExp(`^Weer op tafel\\W+${w}$`) }).click();
    await expect(coord.getByTestId('previous-worries').locator('li', { hasText: w })).toContainText('ligt op tafel');
  }
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  await next(coord, 'Afspreken');
  for (const [i, w] of worries.entries()) {
    await coord.getByLabel(`Plaats ${i + 1}`, { exact: true }).selectOption({ label: w });
  }
  await coord.getByLabel(/^Waarom anders dan de stemming/).fill('Niemand heeft gestemd; we spraken het samen af.');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await next(coord, 'Plan');
  await coord.getByTestId('safety-editor').getByRole('button', { name: 'Veiligheidsplan van vorige keer overnemen' }).click();
  // Layla gives the mother's party's new score on her Arabic phone: the label is the question as typed.
  await layla.page.getByTestId('phone-scores').getByLabel(QUESTION).selectOption('8');
  await expect(sanne2.page.getByTestId('safety-scale')).toContainText('Moeder: 8 / 10');

  // The console and the screen show what changed while the plan is written.
  await expectSafetyChanges(coord, 'nl');
  await expectSafetyChanges(screen, 'nl');
  await checkSurfaces('sos-fu-01-plan', [
    { name: 'coordinator', page: coord },
    { name: 'screen', page: screen },
  ]);

  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Veilig Thuis' });
  await coord.getByLabel('Rol van de regisseur').fill('Jeugdbeschermer');
  await coord.getByLabel('Volgende evaluatie').fill('2031-01-15');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(sanne2.page.getByTestId('plan')).toContainText('Jeugdbeschermer');
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();

  // Closed, the phones show the family's copy with what changed, each in its language.
  await expectSafetyChanges(coord, 'nl');
  await expectSafetyChanges(screen, 'nl');
  await expectSafetyChanges(sanne2.page, 'nl');
  await expectSafetyChanges(layla.page, 'ar');
  await expect(layla.page.getByTestId('safety-changes')).not.toContainText(text('nl', 'safety.changesScores'));
  // The question was typed in Dutch: on the Arabic phone it is an isolate that reads
  // left to right, so its "?" stays at its end.
  const question = layla.page.getByTestId('safety-scale').first().locator('h3 bdi');
  await expect(question).toHaveText(QUESTION);
  expect(await question.evaluate((el) => el.matches(':dir(ltr)') && el.closest('html')!.dir === 'rtl')).toBe(true);
  await checkSurfaces('sos-fu-02-closed', [
    { name: 'coordinator', page: coord },
    { name: 'screen', page: screen },
    { name: 'phone-sanne', page: sanne2.page },
    { name: 'phone-layla-ar', page: layla.page },
  ]);

  for (const c of [coordCtx, screenCtx, sanne.ctx, sanne2.ctx, layla.ctx]) await c.close();
});
