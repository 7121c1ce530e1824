// "Were you heard?" after the close: the family and network members answer four
// questions and a mark on their phones, one skips first and comes back, a
// professional gets no questions, and the coordinator sees only the aggregate:
// nothing while answers still come in, then counts, the mean mark and the
// sentences, with no names.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { checkSurfaces } from './surfaces';
import { startMeeting } from './start-meeting';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

const FAMILY = 'Gezin H.';
const WORRIES = ['Het geld is op voor het einde van de maand', 'Kim slaapt slecht', 'Het huis is te klein'];
const WORRY = WORRIES[0]!;

async function newPhone(browser: Browser, width = 360): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, baseURL: base(), locale: 'nl-NL' });
  return { ctx, page: await ctx.newPage() };
}

async function next(coord: Page, phaseName: string) {
  await coord.getByRole('button', { name: new RegExp(`Verder naar: ${phaseName}`) }).click();
  await expect(coord.getByRole('navigation', { name: 'Rondes van het gesprek' }).locator('[aria-current="step"]')).toHaveText(phaseName);
}

/** Answers the check on a phone: the four scales (Nee, Een beetje, Ja), a mark, a sentence. */
async function answer(page: Page, scales: string[], mark: number, sentence: string) {
  const form = page.getByTestId('heard-form');
  const questions = ['Werd er naar je geluisterd?', 'Durfde je alles te zeggen?', 'Was er genoeg tijd?', 'Staan je eigen doelen in het plan?'];
  for (const [i, q] of questions.entries()) {
    await form.getByRole('group', { name: q }).getByRole('radio', { name: scales[i], exact: true }).check();
  }
  await form.getByRole('group', { name: 'Welk cijfer geef je het gesprek?' }).getByRole('radio', { name: String(mark), exact: true }).check();
  if (sentence) await form.getByLabel('Wil je nog iets zeggen? Dat hoeft niet.').fill(sentence);
  await form.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('heading', { name: 'Dank je wel!' })).toBeVisible();
}

test('family and network say whether they were heard; the coordinator sees the aggregate', async ({ browser }) => {
  test.setTimeout(150_000);

  const { coordCtx, coord, meetingId, code } = await startMeeting(browser, FAMILY, 'Top-3-gesprek', ['Moeder', 'Wijkteam', 'Buurvrouw:network']);

  // Two of the family, the neighbour and a professional join; one phone is 320 px wide.
  const people = [
    { name: 'Sanne', party: 'Moeder', width: 320 },
    { name: 'Jan', party: 'Moeder', width: 360 },
    { name: 'Ria', party: 'Buurvrouw', width: 360 },
    { name: 'Petra', party: 'Wijkteam', width: 360 },
  ];
  const phones: Record<string, Page> = {};
  for (const p of people) {
    const { page } = await newPhone(browser, p.width);
    await page.goto(`/join/${code}`);
    await page.getByLabel('Je naam').fill(p.name);
    await page.getByRole('radio', { name: p.party }).check();
    await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
    await expect(page.getByTestId('waiting')).toBeVisible();
    await coord.getByTestId('pending-list').getByRole('button', { name: new RegExp(`^Toelaten\\W+${p.name}$`) }).click();
    await expect(page.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();
    phones[p.name] = page;
  }
  const sanne = phones.Sanne!;

  // A short meeting to a closed plan.
  await next(coord, 'Zorgen');
  for (const w of WORRIES) {
    await sanne.getByLabel('Nieuwe zorg').fill(w);
    await sanne.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await expect(sanne.getByTestId('my-items')).toContainText(w);
  }
  await expect(sanne.getByText('Wordt verstuurd…')).toHaveCount(0);
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(coord.getByTestId('table-items')).toContainText(WORRY);
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  for (const [i, w] of WORRIES.entries()) {
    await sanne.getByTestId('rank-list').locator('li', { hasText: w }).getByRole('button', { name: `Plaats ${i + 1}` }).click();
  }
  await expect(sanne.getByTestId('rank-state')).toContainText('Opgeslagen');
  await next(coord, 'Afspreken');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(coord.getByTestId('agreed-top3')).toContainText(WORRY);
  await next(coord, 'Plan');
  const first = coord.getByTestId('plan-worry').first();
  await first.getByLabel('Wat willen we zien?').fill('Er is elke maand genoeg geld');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Wijkteam' });
  await coord.getByLabel('Rol van de regisseur').fill('Gezinscoach');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(sanne.getByTestId('plan')).toContainText('Gezinscoach');
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();

  // After the close the family and the neighbour are asked; the professional is not.
  const link = (page: Page) => page.getByRole('link', { name: 'Hoe was het gesprek voor jou?' });
  for (const name of ['Sanne', 'Jan', 'Ria']) await expect(link(phones[name]!)).toBeVisible();
  await expect(phones.Petra!.getByRole('heading', { name: 'Het plan is klaar' })).toBeVisible();
  await expect(link(phones.Petra!)).toHaveCount(0);
  await phones.Petra!.goto(`/m/${encodeURIComponent(meetingId)}/heard`);
  await expect(phones.Petra!.getByTestId('heard-note')).toHaveText('Deze vragen zijn voor het gezin en het netwerk.');
  await expect(phones.Petra!.getByRole('radio')).toHaveCount(0);

  // Sanne opens the questions on a 320 px phone: nothing scrolls sideways.
  await link(sanne).click();
  await expect(sanne.getByRole('heading', { name: 'Hoe was het gesprek voor jou?' })).toBeVisible();
  expect(await sanne.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await checkSurfaces('heard-01-questions', [{ name: 'phone-sanne', page: sanne }]);
  // Sending with questions open says what is missing, and sends nothing.
  await sanne.getByRole('radio', { name: 'Ja', exact: true }).first().check();
  await sanne.getByRole('button', { name: 'Versturen' }).click();
  await expect(sanne.getByRole('alert')).toHaveText('Kies bij elke vraag een antwoord, en kies een cijfer.');
  await answer(sanne, ['Ja', 'Ja', 'Een beetje', 'Ja'], 8, 'Iedereen liet me uitpraten');
  await checkSurfaces('heard-02-thanks', [{ name: 'phone-sanne', page: sanne }]);

  // Jan skips first, and comes back later.
  await link(phones.Jan!).click();
  await phones.Jan!.getByRole('link', { name: 'Overslaan' }).click();
  await expect(phones.Jan!.getByRole('heading', { name: 'Het plan is klaar' })).toBeVisible();

  // One answer in: the coordinator sees only that the questions are open.
  await coord.reload();
  const panel = coord.getByTestId('heard-summary');
  await expect(panel).toContainText('De vragen staan nog open: 1 van 3 hebben geantwoord.');
  await expect(panel.getByRole('table')).toHaveCount(0);
  await expect(panel).not.toContainText('uitpraten');

  await link(phones.Jan!).click();
  await answer(phones.Jan!, ['Een beetje', 'Nee', 'Nee', 'Een beetje'], 5, '');
  // Ria reads the questions in Arabic first: the check's own texts load in that language, right to left.
  const ria = phones.Ria!;
  await link(ria).click();
  await ria.getByLabel('Taal').selectOption('ar');
  await expect(ria.getByRole('heading', { name: 'كيف كان الاجتماع بالنسبة لك؟' })).toBeVisible();
  await expect(ria.getByRole('group', { name: 'هل استمع إليك الآخرون؟' }).getByRole('radio', { name: 'نعم' })).toBeVisible();
  await expect(ria.locator('html')).toHaveAttribute('dir', 'rtl');
  await checkSurfaces('heard-05-arabic', [{ name: 'phone-ria', page: ria }]);
  await ria.getByLabel('اللغة').selectOption('nl');
  await answer(ria, ['Ja', 'Ja', 'Ja', 'Nee'], 9, 'Fijn dat ik mocht meepraten');

  // Everyone who may answer did: the aggregate, without names.
  await coord.reload();
  await expect(panel.getByRole('table')).toBeVisible();
  const row = (q: string) => panel.getByRole('row', { name: new RegExp(q) });
  await expect(row('Werd er naar je geluisterd')).toHaveText(/Werd er naar je geluisterd\?\s*0\s*1\s*2/);
  await expect(row('Staan je eigen doelen')).toHaveText(/Staan je eigen doelen in het plan\?\s*1\s*1\s*1/);
  await expect(panel.getByTestId('heard-mean')).toHaveText('Gemiddeld cijfer: 7,3');
  await expect(panel.getByRole('listitem')).toHaveText(['Fijn dat ik mocht meepraten', 'Iedereen liet me uitpraten']);
  for (const name of ['Sanne', 'Jan', 'Ria', 'Petra']) await expect(panel).not.toContainText(name);
  await checkSurfaces('heard-03-console-meeting', [{ name: 'coordinator', page: coord }]);

  // And over the organisation's meetings, on the home page.
  await coord.goto('/');
  const overview = coord.getByTestId('heard-summary');
  await expect(overview).toContainText('Iedereen liet me uitpraten');
  await expect(overview.getByRole('table')).toBeVisible();
  await checkSurfaces('heard-04-console-overview', [{ name: 'coordinator', page: coord }]);

  // A second visit finds the questions answered.
  await sanne.goto(`/m/${encodeURIComponent(meetingId)}/heard`);
  await expect(sanne.getByTestId('heard-note')).toHaveText('Je hebt deze vragen al beantwoord. Dank je wel!');
  await expect(sanne.getByRole('radio')).toHaveCount(0);
});
