// User text is inert: script and markup typed into every text field of a
// meeting is shown as literal text on every surface (console, shared screen,
// phones) in every phase, never run or parsed as HTML or as a template.
//
// The browsers run with bypassCSP, so the Content-Security-Policy (the second
// wall) cannot hide a hole in the first: Svelte rendering text as text.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resultsDir, seriousViolations, type Surface } from './surfaces';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

// The payloads. Each would set window.__pwned, add an element, or print 49 if
// the text were treated as anything but text.
const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const BOLD = '<b>vet</b>';
const JS_LINK = '<a href="javascript:window.__pwned=1">klik</a> javascript:window.__pwned=1';
const MUSTACHE = '{{7*7}}';
const TEMPLATE = '${7*7}';
const ALL = [SCRIPT, IMG, BOLD, JS_LINK, MUSTACHE, TEMPLATE].join(' ');

// Names are at most 80 characters, so each carries a few payloads; longer texts
// (500) carry all of them. A tag first tells the fields apart.
const FAMILY = `Gezin ${IMG}${BOLD}${MUSTACHE}`;
const TITLE = `Titel ${SCRIPT}${TEMPLATE} javascript:alert(1)`;
const P_FAMILY = `Moeder ${SCRIPT}${MUSTACHE}`;
const P_PRO = `Team ${IMG}${TEMPLATE}`;
const P_NETWORK = `Buur ${BOLD} <a href="javascript:window.__pwned=1">x</a>`;
const NAME_A = `Sanne ${IMG}`;
const NAME_B = `Petra ${SCRIPT}${BOLD}`;
const ROLE = `Coach ${SCRIPT}${BOLD}${MUSTACHE}`;
const ACCOUNT = `Collega ${IMG}${TEMPLATE}`;
const STRENGTH = `sterk: ${ALL}`;
const WORRY_A_DRAFT = `zorgA-eerst: ${ALL}`;
const WORRY_A = `zorgA: ${ALL}`;
const WORRY_B = `zorgB: ${ALL}`;
const WORRY_B_EDITED = `zorgB-na-onthullen: ${ALL}`;
const WORRY_C = `zorgC: ${ALL}`;
const REASON = `reden: ${ALL}`;
const DISSENT = `oneens: ${ALL}`;
const GOAL = `doel: ${ALL}`;
const ACTION = `actie: ${ALL}`;

for (const [name, text] of Object.entries({ FAMILY, TITLE, P_FAMILY, P_PRO, P_NETWORK, NAME_A, NAME_B, ROLE, ACCOUNT })) {
  if ([...text].length > 80) throw new Error(`${name} is over 80 characters: the server would refuse it`);
}

interface Watched extends Surface {
  problems: string[];
}

/** Fails the test on any dialog (alert, confirm, prompt) and page error. */
function watch(name: string, page: Page): Watched {
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog ${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { name, page, problems };
}

async function newContext(browser: Browser, opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: base(), bypassCSP: true, ...opts });
}

interface Found {
  pwned: unknown;
  scripts: number;
  imgs: number;
  bold: number;
  links: string[];
  handlers: string[];
}

/** What a payload would have left in the page had it been parsed as HTML. */
function injected(page: Page): Promise<Found> {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: [...document.scripts].filter((s) => (s.textContent ?? '').includes('__pwned')).length,
      imgs: [...document.images].filter((i) => i.getAttribute('src') === 'x' || i.hasAttribute('onerror')).length,
      bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'vet').length,
      links: all.flatMap((el) =>
        [...el.attributes].filter((a) => /^\s*javascript:/i.test(a.value) && /^(href|src|action|formaction|xlink:href)$/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
      ),
      // Svelte adds listeners in script: no element of the app has an on* attribute.
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
    };
  });
}

/**
 * Checks a surface: nothing ran, nothing was injected, no dialog, and each
 * expected text is visible literally (a template would have printed 49).
 */
async function checkInert(phase: string, s: Watched, visible: string[]): Promise<void> {
  for (const text of visible) {
    await expect(s.page.getByText(text).filter({ visible: true }).first(), `${s.name} in ${phase} shows ${text.slice(0, 20)}… as text`).toBeVisible();
  }
  const found = await injected(s.page);
  expect(found.pwned, `window.__pwned on ${s.name} in ${phase}`).toBeUndefined();
  expect(found, `injected markup on ${s.name} in ${phase}`).toEqual({ pwned: undefined, scripts: 0, imgs: 0, bold: 0, links: [], handlers: [] });
  expect(s.problems, `dialogs and errors on ${s.name} in ${phase}`).toEqual([]);
  if (s.name.startsWith('phone')) {
    // Long unbroken payloads wrap: the phone's page never gets wider than the phone.
    const width = await s.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect.soft(width[0], `page width on ${s.name} in ${phase}`).toBeLessThanOrEqual(width[1]!);
  }
  mkdirSync(resultsDir, { recursive: true });
  await s.page.screenshot({ path: `${resultsDir}xss-${phase}-${s.name}.png`, fullPage: true });
}

async function next(coord: Page, phaseName: string) {
  await coord.getByRole('button', { name: new RegExp(`Verder naar: ${phaseName}`) }).click();
  await expect(coord.getByRole('navigation', { name: 'Rondes van het gesprek' }).locator('[aria-current="step"]')).toHaveText(phaseName);
}

async function addItem(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(page.getByTestId('my-items').locator('li', { hasText: text })).toBeVisible();
  await expect(page.getByText('Wordt verstuurd…')).toHaveCount(0);
}

test('user text is inert on every surface, in every phase', async ({ browser }) => {
  // The coordinator signs in and prepares a meeting whose every name is a payload.
  const coordCtx = await newContext(browser, { viewport: { width: 1280, height: 900 } });
  const console_ = watch('console', await coordCtx.newPage());
  const coord = console_.page;
  await coord.goto('/');
  await coord.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await coord.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await coord.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(coord.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();

  await coord.getByLabel('Naam van het gezin').fill(FAMILY);
  await coord.getByRole('button', { name: 'Gezin toevoegen' }).click();
  await expect(coord.getByTestId('family-list')).toContainText(FAMILY);
  await checkInert('00-home', console_, [FAMILY]);

  await coord.getByText('Nieuw gesprek').click();
  await coord.getByLabel('Gezin', { exact: true }).selectOption({ label: FAMILY });
  await coord.getByLabel('Titel').fill(TITLE);
  await coord.getByLabel('Naam van partij 1').fill(P_FAMILY);
  await coord.getByLabel('Naam van partij 2').fill(P_PRO);
  await coord.getByRole('button', { name: 'Gesprek maken' }).click();
  await expect(coord).toHaveURL(/\/meetings\//);
  const meetingId = decodeURIComponent(new URL(coord.url()).pathname.split('/').pop() ?? '');
  const code = (await coord.getByTestId('console-code').textContent())?.trim() ?? '';

  const screenCtx = await newContext(browser, { viewport: { width: 1920, height: 1080 }, storageState: await coordCtx.storageState() });
  const screen = watch('screen', await screenCtx.newPage());
  await screen.page.goto(`/screen/${encodeURIComponent(meetingId)}`);
  await expect(screen.page.getByTestId('join-code')).toHaveText(code);

  // Two phones: the join page shows the label, title and party names.
  const phoneOptions = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'nl-NL' };
  const phoneA = watch('phone-a', await (await newContext(browser, phoneOptions)).newPage());
  const phoneB = watch('phone-b', await (await newContext(browser, phoneOptions)).newPage());
  const phones = [phoneA, phoneB];
  for (const [p, name, party] of [
    [phoneA, NAME_A, P_FAMILY],
    [phoneB, NAME_B, P_PRO],
  ] as const) {
    await p.page.goto(`/join/${code}`);
    await expect(p.page.getByRole('heading', { level: 1 })).toHaveText(FAMILY);
    await checkInert('01-join', p, [FAMILY, TITLE, P_FAMILY, P_PRO]);
    await p.page.getByLabel('Je naam').fill(name);
    await p.page.getByRole('radio', { name: party }).check();
    await p.page.getByRole('button', { name: 'Meedoen', exact: true }).click();
    await expect(p.page.getByTestId('waiting')).toBeVisible();
  }

  // Lobby: pending names on the console; a party added late.
  const pending = coord.getByTestId('pending-list');
  await expect(pending.locator('li')).toHaveCount(2);
  await coord.getByLabel('Naam van de partij').fill(P_NETWORK);
  await coord.getByLabel('Soort partij', { exact: true }).selectOption('network');
  await coord.getByRole('button', { name: 'Partij toevoegen' }).click();
  await expect(screen.page.getByTestId('at-table')).toContainText(P_NETWORK);
  await checkInert('02-lobby-pending', console_, [FAMILY, TITLE, NAME_A, NAME_B, P_FAMILY, P_PRO]);
  await checkInert('02-lobby-pending', screen, [FAMILY, TITLE, P_FAMILY, P_PRO, P_NETWORK]);
  for (const p of phones) await checkInert('02-lobby-pending', p, [FAMILY]);

  for (const name of [NAME_A, NAME_B]) {
    await pending.locator('li', { hasText: name }).getByRole('button', { name: /^Toelaten/ }).click();
  }
  await expect(pending.locator('li')).toHaveCount(0);
  await expect(screen.page.getByTestId('at-table')).toContainText(NAME_B);
  await checkInert('03-lobby-admitted', console_, [NAME_A, NAME_B]);
  await checkInert('03-lobby-admitted', screen, [NAME_A, NAME_B, P_NETWORK]);
  await checkInert('03-lobby-admitted', phoneA, [FAMILY, TITLE, NAME_A, P_FAMILY]);
  await checkInert('03-lobby-admitted', phoneB, [FAMILY, TITLE, NAME_B, P_PRO]);

  // Strengths: a draft on its phone, then on the table everywhere.
  await next(coord, 'Wat goed gaat');
  await addItem(phoneA.page, 'Wat gaat goed', STRENGTH);
  await checkInert('04-strengths-draft', phoneA, [STRENGTH]);
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(screen.page.getByTestId('table-items')).toContainText(STRENGTH);
  await checkInert('05-strengths-revealed', console_, [STRENGTH, P_FAMILY, P_PRO, P_NETWORK]);
  for (const s of [screen, phoneA, phoneB]) await checkInert('05-strengths-revealed', s, [STRENGTH]);

  // Worries: drafts, a draft edited, one typed on behalf; revealed; one edited after.
  await next(coord, 'Zorgen');
  await addItem(phoneA.page, 'Nieuwe zorg', WORRY_A_DRAFT);
  await phoneA.page.getByTestId('my-items').locator('li', { hasText: WORRY_A_DRAFT }).getByRole('button', { name: /^Aanpassen/ }).click();
  await phoneA.page.getByLabel('Tekst aanpassen').fill(WORRY_A);
  await phoneA.page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(phoneA.page.getByTestId('my-items').locator('li', { hasText: WORRY_A })).toBeVisible();
  await addItem(phoneB.page, 'Nieuwe zorg', WORRY_B);
  await coord.getByLabel('Voor wie').selectOption({ label: P_NETWORK });
  await coord.getByLabel('Nieuwe zorg').fill(WORRY_C);
  await coord.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(coord.getByText(WORRY_C)).toBeVisible();
  await checkInert('06-worries-drafts', phoneA, [WORRY_A]);
  await checkInert('06-worries-drafts', phoneB, [WORRY_B]);
  await checkInert('06-worries-drafts', console_, [WORRY_C, P_NETWORK]);
  await checkInert('06-worries-drafts', screen, [FAMILY]);
  for (const p of [screen.page, phoneB.page, coord]) await expect(p.getByText(WORRY_A)).toHaveCount(0);

  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(screen.page.getByTestId('table-items')).toContainText(WORRY_C);
  const mineB = phoneB.page.getByTestId('my-items').locator('li', { hasText: WORRY_B });
  await mineB.getByRole('button', { name: /^Aanpassen/ }).click();
  await phoneB.page.getByLabel('Tekst aanpassen').fill(WORRY_B_EDITED);
  await phoneB.page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(screen.page.getByTestId('table-items')).toContainText(WORRY_B_EDITED);
  const worries = [WORRY_A, WORRY_B_EDITED, WORRY_C];
  for (const s of [console_, screen, phoneA, phoneB]) await checkInert('07-worries-revealed', s, worries);

  // Cluster, rank: the same texts in lists, menus and the live ranking.
  await next(coord, 'Samenvoegen');
  for (const s of [console_, screen, phoneA, phoneB]) await checkInert('08-cluster', s, worries);

  await next(coord, 'Top 3 kiezen');
  for (const p of phones) {
    for (const [i, text] of worries.entries()) {
      await p.page.getByTestId('rank-list').locator('li', { hasText: text }).getByRole('button', { name: `Plaats ${i + 1}` }).click();
    }
    await expect(p.page.getByTestId('rank-state')).toContainText('Opgeslagen');
  }
  // The result (with the worries' texts) reaches the screen when the round is closed.
  await expect(screen.page.getByTestId('screen-rank-progress')).toHaveText('2 van 2 hebben gekozen');
  await coord.getByTestId('rank-close').click();
  await expect(screen.page.getByText('2 mensen hebben gekozen')).toBeVisible();
  for (const s of [console_, screen, phoneA, phoneB]) await checkInert('09-rank', s, worries);

  // Agree: a different order than the ranking, so a reason; akkoord and dissent.
  await next(coord, 'Afspreken');
  for (const [i, text] of [...worries].reverse().entries()) {
    await coord.getByLabel(`Plaats ${i + 1}`, { exact: true }).selectOption({ label: text });
  }
  await coord.getByLabel(/Waarom anders dan de stemming/).fill(REASON);
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(screen.page.getByTestId('agreed-top3')).toContainText(WORRY_C);
  await phoneA.page.getByRole('button', { name: 'Akkoord, namens ons gezin' }).click();
  await phoneB.page.getByText('Ben je het er niet mee eens?').click();
  await phoneB.page.getByLabel('Wat wil je zeggen?').fill(DISSENT);
  await phoneB.page.getByRole('button', { name: 'Versturen' }).click();
  await expect(screen.page.getByText(DISSENT)).toBeVisible();
  await checkInert('10-agree', console_, [...worries, REASON, DISSENT, P_FAMILY]);
  await checkInert('10-agree', screen, [...worries, DISSENT, P_FAMILY]);
  await checkInert('10-agree', phoneA, worries);
  await checkInert('10-agree', phoneB, [...worries, DISSENT]);

  // Plan: goal, action, regisseur role.
  await next(coord, 'Plan');
  const first = coord.getByTestId('plan-worry').first();
  await first.getByLabel('Wat willen we zien?').fill(GOAL);
  await first.getByLabel('Hoe gaat het nu (0-10)').selectOption('3');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  await first.getByLabel('Wat', { exact: true }).fill(ACTION);
  await first.getByLabel('Wie', { exact: true }).selectOption({ label: P_PRO });
  await first.getByLabel('Wanneer klaar').fill('2030-04-01');
  await first.getByRole('button', { name: 'Actie toevoegen' }).click();
  await expect(first).toContainText(ACTION);
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: P_FAMILY });
  await coord.getByLabel('Rol van de regisseur').fill(ROLE);
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(screen.page.getByTestId('plan')).toContainText(ROLE);
  await expect(screen.page.getByTestId('plan')).toContainText(GOAL);
  const plan = [GOAL, ACTION, ROLE, ...worries];
  await checkInert('11-plan', console_, [ACTION, ...worries]);
  for (const s of [screen, phoneA, phoneB]) await checkInert('11-plan', s, plan);

  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();
  await expect(phoneA.page.getByRole('heading', { name: 'Het plan is klaar' })).toBeVisible();
  for (const s of [console_, screen, phoneA, phoneB]) await checkInert('12-closed', s, plan);

  // The console's own pages: the meeting list, the family's data and log, accounts.
  await coord.getByRole('link', { name: 'Tafel', exact: true }).click();
  await expect(coord.getByTestId('meeting-list')).toContainText(`${FAMILY} — ${TITLE}`);
  await checkInert('13-home', console_, [FAMILY, `${FAMILY} — ${TITLE}`]);
  await coord.getByRole('link', { name: `Gegevens en logboek van ${FAMILY}` }).click();
  await expect(coord.getByRole('heading', { level: 1 })).toHaveText(`Gegevens van ${FAMILY}`);
  await expect(coord.getByTestId('audit-log').locator('tbody tr').first()).toBeVisible();
  await checkInert('14-family-data', console_, [FAMILY]);
  expect(await seriousViolations(coord), 'axe on the family data page').toEqual([]);

  await coord.getByRole('link', { name: 'Accounts', exact: true }).click();
  await coord.getByLabel('Naam', { exact: true }).fill(ACCOUNT);
  await coord.getByLabel('E-mailadres', { exact: true }).fill('xss-collega@example.org');
  await coord.getByRole('button', { name: 'Account maken' }).click();
  await expect(coord.getByTestId('setup-link')).toContainText(ACCOUNT);
  await expect(coord.getByTestId('account-list')).toContainText(ACCOUNT);
  await checkInert('15-accounts', console_, [ACCOUNT]);
  await coord.getByRole('button', { name: `Weghalen: ${ACCOUNT}` }).click();
  await expect(coord.getByRole('heading', { name: `Account van ${ACCOUNT} weghalen?` })).toBeVisible();
  await checkInert('16-account-remove', console_, [`Account van ${ACCOUNT} weghalen?`]);
  await coord.getByRole('button', { name: 'Ja, weghalen' }).click();
  await expect(coord.getByTestId('account-list')).not.toContainText(ACCOUNT);

  // Erasure names the family in its confirmation, and the family's label must be typed.
  await coord.getByRole('link', { name: 'Tafel', exact: true }).click();
  await coord.getByRole('link', { name: `Gegevens en logboek van ${FAMILY}` }).click();
  await coord.getByRole('button', { name: `${FAMILY} wissen` }).click();
  const confirm = coord.getByTestId('erase-confirm');
  await expect(confirm.getByRole('heading')).toHaveText(`Weet je zeker dat je ${FAMILY} wilt wissen?`);
  const eraseButton = confirm.getByRole('button', { name: `Ja, wis ${FAMILY}` });
  await expect(eraseButton).toBeDisabled();
  await confirm.getByLabel(/Typ de naam van het gezin/).fill(FAMILY);
  await checkInert('17-erase-confirm', console_, [`Weet je zeker dat je ${FAMILY} wilt wissen?`]);
  expect(await seriousViolations(coord), 'axe on the erase confirmation').toEqual([]);
  await eraseButton.click();
  await expect(coord.getByRole('status').filter({ hasText: 'is gewist' }).first()).toContainText(FAMILY);
  await checkInert('18-erased', console_, [`${FAMILY} is gewist`]);

  for (const s of [screen, phoneA, phoneB]) expect(s.problems, `dialogs and errors on ${s.name}`).toEqual([]);
  for (const c of browser.contexts()) await c.close();
});
