// The plan leaves the room: a meeting is closed, its PDF downloaded from the
// console, the family reads its copy on a phone, the coordinator looks at the
// family's timeline (an overdue action marked), makes a follow-up meeting and
// reviews the previous actions and scores, on the console and the shared screen.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkSurfaces, resultsDir } from './surfaces';
import { startMeeting } from './start-meeting';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

const FAMILY = 'Gezin V.';
const worries = {
  money: 'De huur is te hoog',
  school: 'Kim gaat niet graag naar school',
  debts: 'Schulden bij de energie',
  work: 'Vader heeft geen werk meer',
};
const actions = { late: 'Huisbezoek plannen', later: 'Aanvraag bijzondere bijstand doen' };

async function newPhone(browser: Browser): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    baseURL: base(),
    locale: 'nl-NL',
  });
  return { ctx, page: await ctx.newPage() };
}

async function next(coord: Page, phaseName: string) {
  await coord.getByRole('button', { name: new RegExp(`Verder naar: ${phaseName}`) }).click();
  await expect(coord.getByRole('navigation', { name: 'Rondes van het gesprek' }).locator('[aria-current="step"]')).toHaveText(phaseName);
}

test('a closed plan goes home, and the follow-up looks back', async ({ browser }) => {
  test.setTimeout(90_000);

  // The coordinator prepares a meeting for Gezin V. without a strengths round.
  const { coordCtx, coord, meetingId, code } = await startMeeting(browser, FAMILY, 'Top-3-gesprek', ['Moeder', 'Wijkteam']);

  // The mother joins on her phone and is let in.
  const sanne = await newPhone(browser);
  await sanne.page.goto(`/join/${code}`);
  await sanne.page.getByLabel('Je naam').fill('Sanne');
  await sanne.page.getByRole('radio', { name: 'Moeder' }).check();
  await sanne.page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await expect(sanne.page.getByTestId('waiting')).toBeVisible();
  await coord.getByTestId('pending-list').getByRole('button', { name: /^Toelaten\W+Sanne$/ }).click();
  await expect(sanne.page.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();

  // A short meeting: three worries, one ranking, the top 3, a plan with two actions.
  await next(coord, 'Zorgen');
  for (const text of [worries.money, worries.school]) {
    await sanne.page.getByLabel('Nieuwe zorg').fill(text);
    await sanne.page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await expect(sanne.page.getByTestId('my-items')).toContainText(text);
  }
  await coord.getByLabel('Voor wie').selectOption({ label: 'Wijkteam' });
  await coord.getByLabel('Nieuwe zorg').fill(worries.debts);
  await coord.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(coord.getByText(worries.debts)).toBeVisible();
  await expect(sanne.page.getByText('Wordt verstuurd…')).toHaveCount(0);
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(coord.getByTestId('table-items')).toContainText(worries.school);
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  for (const [i, text] of [worries.money, worries.school, worries.debts].entries()) {
    await sanne.page.getByTestId('rank-list').locator('li', { hasText: text }).getByRole('button', { name: `Plaats ${i + 1}` }).click();
  }
  await expect(sanne.page.getByTestId('rank-state')).toContainText('Opgeslagen');
  await next(coord, 'Afspreken');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(coord.getByTestId('agreed-top3')).toContainText(worries.money);
  await next(coord, 'Plan');
  const first = coord.getByTestId('plan-worry').first();
  await first.getByLabel('Wat willen we zien?').fill('De huur wordt elke maand betaald');
  await first.getByLabel('Hoe gaat het nu (0-10)').selectOption('3');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  for (const [what, due] of [[actions.late, '2020-01-15'], [actions.later, '2030-04-01']] as const) {
    await first.getByLabel('Wat', { exact: true }).fill(what);
    await first.getByLabel('Wie', { exact: true }).selectOption({ label: 'Wijkteam' });
    await first.getByLabel('Wanneer klaar').fill(due);
    await first.getByRole('button', { name: 'Actie toevoegen' }).click();
    await expect(first).toContainText(what);
  }
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Wijkteam' });
  await coord.getByLabel('Rol van de regisseur').fill('Gezinscoach');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(sanne.page.getByTestId('plan')).toContainText('Gezinscoach');
  // During the meeting the plan can be downloaded already.
  await expect(coord.getByTestId('exports').getByRole('link', { name: 'PDF voor het gezin' })).toBeVisible();
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();

  // The PDF for the family, from the console.
  const [download] = await Promise.all([
    coord.waitForEvent('download'),
    coord.getByTestId('exports').getByRole('link', { name: 'PDF voor het gezin' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^plan-gezin-v-\d{4}-\d{2}-\d{2}-v1\.pdf$/);
  const pdf = readFileSync((await download.path()) ?? '');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // The same PDF in the language of a family member: Arabic, with lang="ar" in the file.
  await coord.getByTestId('exports').getByLabel('Taal van de PDF').selectOption('ar');
  const [arabic] = await Promise.all([
    coord.waitForEvent('download'),
    coord.getByTestId('exports').getByRole('link', { name: 'PDF voor het gezin' }).click(),
  ]);
  const arabicPdf = readFileSync((await arabic.path()) ?? '').toString('latin1');
  expect(arabicPdf.startsWith('%PDF-')).toBe(true);
  expect(arabicPdf).toMatch(/\/Lang \(ar\)/);
  await expect(coord.getByTestId('exports').getByRole('link', { name: 'Agenda: evaluatie' })).toBeVisible();
  await checkSurfaces('fu-01-closed', [{ name: 'coordinator', page: coord }]);

  // The family's copy: the phone opens the meeting again, after it closed, and reads the plan.
  await sanne.page.goto(`/m/${encodeURIComponent(meetingId)}`);
  await expect(sanne.page.getByRole('heading', { name: 'Het plan is klaar' })).toBeVisible();
  await expect(sanne.page.getByTestId('plan')).toContainText(actions.later);
  await expect(sanne.page.getByTestId('plan')).toContainText('De huur wordt elke maand betaald');
  await expect(sanne.page.getByRole('textbox')).toHaveCount(0);
  await expect(sanne.page.getByRole('button', { name: 'Plan afdrukken' })).toBeVisible();
  await checkSurfaces('fu-02-family-copy', [{ name: 'phone-sanne', page: sanne.page }]);
  // On paper only the plan remains: no buttons, no header.
  await sanne.page.emulateMedia({ media: 'print' });
  await expect(sanne.page.getByRole('button', { name: 'Plan afdrukken' })).toBeHidden();
  await expect(sanne.page.getByTestId('plan')).toBeVisible();
  await sanne.page.screenshot({ path: `${resultsDir}fu-02-family-copy-print.png`, fullPage: true });
  await sanne.page.emulateMedia({ media: 'screen' });

  // The family's timeline: the meeting, its plan, the overdue action marked, the evaluation.
  await coord.getByRole('link', { name: 'Tijdlijn van het gezin' }).click();
  await expect(coord.getByRole('heading', { name: `${FAMILY}: tijdlijn`, level: 1 })).toBeVisible();
  const open = coord.getByTestId('open-actions');
  await expect(open.locator('tr', { hasText: actions.late })).toContainText('Te laat');
  await expect(open.locator('tr', { hasText: actions.later })).not.toContainText('Te laat');
  await expect(coord.getByTestId('next-evaluation')).toContainText('2030');
  await expect(coord.getByTestId('timeline')).toContainText(worries.money);
  await expect(coord.getByTestId('timeline')).toContainText('Partijen aan tafel: 1 van 2. Mensen: 1.');
  await checkSurfaces('fu-03-family', [{ name: 'coordinator', page: coord }]);

  // The follow-up, made from the closed meeting, starts with the review.
  await coord.goto(`/meetings/${encodeURIComponent(meetingId)}`);
  await coord.getByRole('button', { name: 'Vervolggesprek maken' }).click();
  await expect(coord).not.toHaveURL(new RegExp(meetingId));
  const followUpId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  await expect(coord.getByRole('heading', { name: `${FAMILY} — Vervolggesprek` })).toBeVisible();
  const screenCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1920, height: 1080 }, storageState: await coordCtx.storageState() });
  const screen = await screenCtx.newPage();
  await screen.goto(`/screen/${encodeURIComponent(followUpId)}`);
  await expect(screen.getByTestId('screen-phase')).toHaveText('Binnenkomen');
  await next(coord, 'Terugblik');
  await expect(screen.getByTestId('screen-phase')).toHaveText('Terugblik');

  const review = coord.getByTestId('review-actions');
  const late = review.locator('li', { hasText: actions.late });
  await late.getByLabel('Gedaan', { exact: true }).check();
  await late.getByLabel('Toelichting (mag leeg)').fill('Geweest op 3 februari');
  await late.getByRole('button', { name: new RegExp(`^Opslaan\\W+${actions.late}$`) }).click();
  await expect(late.getByTestId('review-outcome')).toHaveText('Gedaan');
  const later = review.locator('li', { hasText: actions.later });
  await later.getByRole('button', { name: new RegExp(`^Opslaan\\W+${actions.later}$`) }).click();
  await expect(later.getByRole('alert')).toHaveText('Kies eerst: gedaan, deels of niet gedaan.');
  await later.getByLabel('Deels gedaan').check();
  await later.getByRole('button', { name: new RegExp(`^Opslaan\\W+${actions.later}$`) }).click();
  await expect(later.getByTestId('review-outcome')).toHaveText('Deels gedaan');
  await coord.getByTestId('review-worries').locator('li', { hasText: worries.money }).getByLabel('Cijfer nu (0-10)').selectOption('6');
  const summary = screen.getByTestId('review-summary');
  await expect(summary.locator('li', { hasText: actions.late })).toContainText('Gedaan');
  await expect(summary).toContainText('Geweest op 3 februari');
  await expect(summary.locator('li', { hasText: actions.later })).toContainText('Deels gedaan');
  await expect(summary.locator('li', { hasText: worries.money })).toContainText('vorige keer 3, bij de terugblik 6');
  await checkSurfaces('fu-04-review', [
    { name: 'coordinator', page: coord },
    { name: 'screen', page: screen },
  ]);

  // The worries round offers last time's top 3 again, one tap each.
  await next(coord, 'Zorgen');
  await coord.getByTestId('previous-worries').getByRole('button', { name: new RegExp(`^Weer op tafel\\W+${worries.money}$`) }).click();
  await expect(coord.getByTestId('previous-worries').locator('li', { hasText: worries.money })).toContainText('ligt op tafel');
  await coord.getByTestId('previous-worries').getByRole('button', { name: new RegExp(`^Weer op tafel\\W+${worries.debts}$`) }).click();
  await expect(screen.getByTestId('table-items')).toContainText(worries.money);
  await coord.getByLabel('Voor wie').selectOption({ label: 'Moeder' });
  await coord.getByLabel('Nieuwe zorg').fill(worries.work);
  await coord.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(screen.getByTestId('table-items')).toContainText(worries.work);
  await checkSurfaces('fu-05-worries', [{ name: 'coordinator', page: coord }]);

  // A new top 3: two worries carried on, one new, one dropped; the console shows what changed.
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  await next(coord, 'Afspreken');
  for (const [i, text] of [worries.money, worries.work, worries.debts].entries()) {
    await coord.getByLabel(`Plaats ${i + 1}`, { exact: true }).selectOption({ label: text });
  }
  await coord.getByLabel(/^Waarom anders dan de stemming/).fill('Niemand heeft gestemd; we spraken het samen af.');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  const changed = coord.getByTestId('what-changed');
  await expect(changed.getByTestId('changes.kept')).toContainText(worries.money);
  await expect(changed.getByTestId('changes.kept')).toContainText('vorige keer 3, bij de terugblik 6, nu geen cijfer');
  await expect(changed.getByTestId('changes.kept')).toContainText(worries.debts);
  await expect(changed.getByTestId('changes.new')).toContainText(worries.work);
  await expect(changed.getByTestId('changes.dropped')).toContainText(worries.school);
  await expect(changed).toContainText('Geweest op 3 februari');
  await next(coord, 'Plan');
  await expect(screen.getByTestId('what-changed').getByTestId('changes.dropped')).toContainText(worries.school);
  await checkSurfaces('fu-06-what-changed', [
    { name: 'coordinator', page: coord },
    { name: 'screen', page: screen },
  ]);

  // Back on the family page, the action the review called done is no longer open.
  await coord.goto('/');
  await expect(coord.getByTestId('overview')).toContainText(FAMILY);
  await coord.getByTestId('family-list').getByRole('link', { name: `Tijdlijn van ${FAMILY}` }).click();
  await expect(coord.getByTestId('open-actions')).toContainText(actions.later);
  await expect(coord.getByTestId('open-actions')).not.toContainText(actions.late);
  await expect(coord.getByTestId('timeline')).toContainText('vervolg op');
  await checkSurfaces('fu-07-family-after-review', [{ name: 'coordinator', page: coord }]);

  for (const c of [coordCtx, screenCtx, sanne.ctx]) await c.close();
});
