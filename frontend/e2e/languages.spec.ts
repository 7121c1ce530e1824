// One meeting with five phones, each in its own language: Arabic (right to
// left), Turkish and Polish beside Dutch and English; then its follow-up, whose
// review is seen by phones in Arabic, Turkish and Polish and by two more in
// Farsi (right to left) and Somali. In every phase each phone is screenshot,
// checked with axe, checked for Dutch that is not a name or a worry someone
// typed, and checked to fit 320 px (also with its text at 200%, and at the
// browser's page zoom of 200%) without scrolling sideways. Screen-reader announcements come in the phone's own language.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsDir, seriousViolations } from './surfaces';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

type Lang = 'nl' | 'en' | 'ar' | 'tr' | 'pl' | 'fa' | 'so';
type Entry = string | Record<string, string>;
const catalogue = (l: string): Record<string, Entry> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../src/lib/i18n/${l}.json`, import.meta.url)), 'utf8')) as Record<string, Entry>;
const cat = { nl: catalogue('nl'), en: catalogue('en'), ar: catalogue('ar'), tr: catalogue('tr'), pl: catalogue('pl'), fa: catalogue('fa'), so: catalogue('so') };
const text = (l: Lang, key: string, form = 'other'): string => {
  const e = cat[l][key];
  if (e === undefined) throw new Error(`no ${key} in ${l}`);
  return typeof e === 'string' ? e : (e[form] ?? e.other ?? '');
};

// Dutch the app itself writes: the pieces between placeholders of every Dutch
// text a phone can show, minus those the other language writes the same way.
function dutchPieces(l: Lang): string[] {
  const own = new Set(
    Object.entries(cat[l]).flatMap(([k, v]) => (k.startsWith('_') ? [] : typeof v === 'string' ? [v] : Object.values(v))),
  );
  const pieces = Object.entries(cat.nl)
    .filter(([k]) => !k.startsWith('_') && k in cat[l])
    .flatMap(([, v]) => (typeof v === 'string' ? [v] : Object.values(v)))
    .filter((v) => !own.has(v))
    .flatMap((v) => v.split(/\{\w+\}/))
    .map((s) => s.trim())
    .filter((s) => s.length >= 5);
  return [...new Set(pieces)];
}

interface Phone {
  lang: Lang;
  name: string;
  party: string;
  worry: string;
  ctx: BrowserContext;
  page: Page;
}

const phoneOptions = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function newPhone(browser: Browser, lang: Lang, name: string, party: string, worry: string): Promise<Phone> {
  const ctx = await browser.newContext({ ...phoneOptions, baseURL: base(), locale: lang });
  return { lang, name, party, worry, ctx, page: await ctx.newPage() };
}

/** Everything a person (or a screen reader) gets from the page as text. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')].flatMap((el) =>
      ['aria-label', 'placeholder', 'title', 'alt'].map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.body.innerText, ...attrs].join('\n');
  });
}

/** Width beyond the viewport, in CSS pixels: more than 0 means sideways scrolling. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('phones in Arabic, Turkish, Polish, Dutch and English through a whole meeting', async ({ browser }) => {
  // Five phones, eleven phases, two sizes each: slow on a shared machine, never timed.
  test.setTimeout(600_000);
  mkdirSync(resultsDir, { recursive: true });
  const worries = {
    ar: 'لا يكفي المال للطعام، الإيجار 850 يورو',
    tr: 'Kira üç aydır ödenmedi',
    pl: 'Dzieci często widzą kłótnie w domu',
    nl: 'De school belt vaak over Noor',
    en: 'We argue a lot at home',
  };
  // Names, parties and worries people typed may be in any language.
  const typed = ['Gezin J.', 'Top-3-gesprek', 'Moeder', 'Vader', 'Oma', 'Gebiedsteam', 'Veilig Thuis', 'Layla', 'Emre', 'Kasia', 'Sanne', 'Tom',
    ...Object.values(worries), 'De kinderen gaan elke dag naar school 😊', 'Er is elke dag genoeg eten in huis', 'Aanvraag bijzondere bijstand doen', 'Gezinscoach'];

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
  const parties: [string, string][] = [['Moeder', 'family'], ['Vader', 'family'], ['Oma', 'network'], ['Gebiedsteam', 'professional'], ['Veilig Thuis', 'professional']];
  for (const [i, [name, kind]] of parties.entries()) {
    if (i >= 2) await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
    await coord.getByLabel(`Naam van partij ${i + 1}`).fill(name);
    await coord.getByLabel(`Soort partij ${i + 1}`).selectOption(kind);
  }
  await coord.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(coord).toHaveURL(/\/meetings\//);
  const meetingId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';

  const phones = [
    await newPhone(browser, 'ar', 'Layla', 'Moeder', worries.ar),
    await newPhone(browser, 'tr', 'Emre', 'Vader', worries.tr),
    await newPhone(browser, 'pl', 'Kasia', 'Oma', worries.pl),
    await newPhone(browser, 'nl', 'Sanne', 'Gebiedsteam', worries.nl),
    await newPhone(browser, 'en', 'Tom', 'Veilig Thuis', worries.en),
  ];
  const arabic = phones[0]!;
  const polish = phones[2]!;

  /** Every check on every phone, for one phase. */
  async function checkPhones(phase: string, which = phones) {
    for (const p of which) {
      const where = `${p.lang} phone in ${phase}`;
      const html = await p.page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
      expect.soft(html, where).toEqual({ lang: p.lang, dir: p.lang === 'ar' || p.lang === 'fa' ? 'rtl' : 'ltr' });
      await p.page.waitForTimeout(150); // let the ranking's reorder settle
      await p.page.screenshot({ path: `${resultsDir}lang-${phase}-${p.lang}.png`, fullPage: true });
      expect.soft(await seriousViolations(p.page), `axe on the ${where}`).toEqual([]);
      if (p.lang !== 'nl') {
        let shown = await pageText(p.page);
        for (const t of typed) shown = shown.split(t).join(' ');
        expect.soft(dutchPieces(p.lang).filter((d) => shown.includes(d)), `Dutch on the ${where}`).toEqual([]);
      }
      // 320 px wide, then with the text at 200% (as a phone's font size setting does).
      await p.page.setViewportSize({ width: 320, height: 640 });
      expect.soft(await overflow(p.page), `sideways scroll at 320 px on the ${where}`).toBeLessThanOrEqual(0);
      await p.page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
      expect.soft(await overflow(p.page), `sideways scroll at 200% text on the ${where}`).toBeLessThanOrEqual(0);
      await p.page.screenshot({ path: `${resultsDir}lang-${phase}-${p.lang}-200.png`, fullPage: true });
      await p.page.evaluate(() => (document.documentElement.style.fontSize = ''));
      // The browser's page zoom at 200% (everything larger, not only text): the
      // 360 px phone then lays the page out in 180 CSS px.
      await p.page.setViewportSize({ width: phoneOptions.viewport.width / 2, height: phoneOptions.viewport.height / 2 });
      expect.soft(await overflow(p.page), `sideways scroll at 200% page zoom on the ${where}`).toBeLessThanOrEqual(0);
      await p.page.screenshot({ path: `${resultsDir}lang-${phase}-${p.lang}-zoom200.png`, fullPage: true });
      await p.page.setViewportSize(phoneOptions.viewport);
    }
  }

  // A wrong code is explained in the phone's language.
  const turkish = phones[1]!;
  await turkish.page.goto('/join');
  await turkish.page.getByRole('combobox', { name: 'Taal' }).selectOption('tr');
  await turkish.page.locator('#code').fill('ZZZZZZZZ');
  await turkish.page.keyboard.press('Enter');
  await expect(turkish.page.getByRole('alert')).toHaveText(text('tr', 'join.unknownCode'));

  // Each phone chooses its language on the join page; the choice stays on the phone.
  for (const p of phones) {
    await p.page.goto(`/join/${code}`);
    if (p !== turkish) await p.page.getByRole('combobox', { name: 'Taal' }).selectOption(p.lang);
    await expect(p.page.getByText(text(p.lang, 'join.name'), { exact: true })).toBeVisible();
  }
  await checkPhones('00-join');
  for (const p of phones) {
    await p.page.locator('#name').fill(p.name);
    await p.page.getByRole('radio', { name: p.party }).check();
    await p.page.locator('button[type=submit]').click();
    await expect(p.page.getByTestId('waiting')).toBeVisible();
    await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.waiting.title') })).toBeVisible();
  }
  await checkPhones('01-lobby-pending');

  const pending = coord.getByTestId('pending-list');
  for (const p of phones) await pending.getByRole('button', { name: new RegExp(`^Toelaten\\W+${p.name}$`) }).click();
  for (const p of phones) await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.lobby.title') })).toBeVisible();
  await expect(arabic.page.getByRole('status')).toHaveText(text('ar', 'phone.admitted'));
  await checkPhones('02-lobby-admitted');

  const next = async (phaseName: string) => {
    await coord.getByRole('button', { name: new RegExp(`Verder naar: ${phaseName}`) }).click();
    await expect(coord.getByRole('navigation', { name: 'Rondes van het gesprek' }).locator('[aria-current="step"]')).toHaveText(phaseName);
  };

  await next('Wat goed gaat');
  await arabic.page.locator('#item-text').fill('De kinderen gaan elke dag naar school 😊');
  await arabic.page.locator('form.add button[type=submit]').click();
  await expect(arabic.page.getByTestId('my-items')).toContainText(text('ar', 'items.private'));
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await checkPhones('03-strengths');

  await next('Zorgen');
  for (const p of phones) {
    await p.page.locator('#item-text').fill(p.worry);
    await p.page.locator('form.add button[type=submit]').click();
    await expect(p.page.getByTestId('my-items').locator('li', { hasText: p.worry })).toContainText(text(p.lang, 'items.private'));
  }
  await checkPhones('04-worries-drafts');

  // The mother's turn: the Arabic phone hears it in Arabic, with her party's Dutch name.
  await coord.getByRole('button', { name: 'Onthul Moeder' }).click();
  await expect(arabic.page.getByRole('status')).toHaveText(text('ar', 'announce.turn', 'one').replace('{party}', 'Moeder'));
  await expect(polish.page.getByRole('status')).toHaveText(text('pl', 'announce.turn', 'one').replace('{party}', 'Moeder').replace('{n}', '1'));
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  for (const p of phones) {
    for (const w of Object.values(worries)) await expect(p.page.getByTestId('table-items')).toContainText(w);
  }
  await checkPhones('05-worries-revealed');

  await next('Samenvoegen');
  for (const p of phones) await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.cluster.title') })).toBeVisible();
  await checkPhones('06-cluster');

  await next('Top 3 kiezen');
  const order = [worries.ar, worries.tr, worries.pl];
  for (const p of phones) {
    for (const [i, w] of order.entries()) {
      await p.page.getByTestId('rank-list').locator('li', { hasText: w }).locator('.places button').nth(i).click();
    }
    await expect(p.page.getByTestId('rank-state')).toContainText(text(p.lang, 'rank.saved'));
  }
  await checkPhones('07-rank');

  // Choosing is over: said in each phone's language.
  await next('Afspreken');
  await expect(polish.page.getByRole('status')).toHaveText(text('pl', 'announce.rankingClosed'));
  await expect(arabic.page.getByRole('status')).toHaveText(text('ar', 'announce.rankingClosed'));
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  for (const p of phones) await expect(p.page.getByTestId('agreed-top3')).toContainText(worries.ar);
  await arabic.page.getByRole('button', { name: text('ar', 'phone.agree.akkoord') }).click();
  await expect(arabic.page.getByText(text('ar', 'phone.agree.akkoordDone'))).toBeVisible();
  await checkPhones('08-agree');

  await next('Plan');
  const first = coord.getByTestId('plan-worry').first();
  await first.getByLabel('Wat willen we zien?').fill('Er is elke dag genoeg eten in huis');
  await first.getByLabel('Hoe gaat het nu (0-10)').selectOption('3');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  await first.getByLabel('Wat', { exact: true }).fill('Aanvraag bijzondere bijstand doen');
  await first.getByLabel('Wie', { exact: true }).selectOption({ label: 'Gebiedsteam' });
  await first.getByLabel('Wanneer klaar').fill('2030-04-01');
  await first.getByRole('button', { name: 'Actie toevoegen' }).click();
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Gebiedsteam' });
  await coord.getByLabel('Rol van de regisseur').fill('Gezinscoach');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  for (const p of phones) await expect(p.page.getByTestId('plan')).toContainText('Aanvraag bijzondere bijstand doen');
  await checkPhones('09-plan');

  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  for (const p of phones) await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.closed.title') })).toBeVisible();
  await checkPhones('10-closed');

  // The accessibility statement, in the phone's language.
  for (const p of phones) {
    await p.page.getByRole('link', { name: text(p.lang, 'a11y.link') }).click();
    await expect(p.page.getByRole('heading', { name: text(p.lang, 'a11y.title'), level: 1 })).toBeVisible();
  }
  await checkPhones('11-accessibility');

  // The follow-up looks back at this plan. The Arabic, Turkish and Polish phones
  // join it in the language they keep; a Farsi and a Somali phone choose theirs.
  await coord.goto(`/meetings/${encodeURIComponent(meetingId)}`);
  await coord.getByRole('button', { name: 'Vervolggesprek maken' }).click();
  await expect(coord).not.toHaveURL(new RegExp(meetingId));
  await expect(coord.getByRole('heading', { name: 'Gezin J. — Vervolggesprek' })).toBeVisible();
  const code2 = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';
  const farsi = await newPhone(browser, 'fa', 'Dariush', 'Oma', '');
  const somali = await newPhone(browser, 'so', 'Hodan', 'Vader', '');
  const followers = [arabic, turkish, polish, farsi, somali];
  typed.push('Dariush', 'Hodan', 'Vervolggesprek');
  for (const p of followers) {
    await p.page.goto(`/join/${code2}`);
    if (p === farsi || p === somali) await p.page.getByRole('combobox', { name: 'Taal' }).selectOption(p.lang);
    await expect(p.page.getByText(text(p.lang, 'join.name'), { exact: true })).toBeVisible();
    await p.page.locator('#name').fill(p.name);
    await p.page.getByRole('radio', { name: p.party }).check();
    await p.page.locator('button[type=submit]').click();
    await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.waiting.title') })).toBeVisible();
  }
  for (const p of followers) await pending.getByRole('button', { name: new RegExp(`^Toelaten\\W+${p.name}$`) }).click();
  for (const p of followers) await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.lobby.title') })).toBeVisible();
  await checkPhones('12-followup-lobby', [farsi, somali]);

  await next('Terugblik');
  const review = coord.getByTestId('review-actions').locator('li', { hasText: 'Aanvraag bijzondere bijstand doen' });
  await review.getByLabel('Gedaan', { exact: true }).check();
  await review.getByRole('button', { name: /^Opslaan\W+Aanvraag bijzondere bijstand doen$/ }).click();
  await expect(review.getByTestId('review-outcome')).toHaveText('Gedaan');
  for (const p of followers) {
    await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.review.title') })).toBeVisible();
    await expect(p.page.getByRole('heading', { name: text(p.lang, 'phone.previousTop3') })).toBeVisible();
    await expect(p.page.locator('ol.previous')).toContainText(worries.ar);
  }
  await checkPhones('13-followup-review', followers);

  for (const c of [coordCtx, ...phones.map((p) => p.ctx), farsi.ctx, somali.ctx]) await c.close();
});
