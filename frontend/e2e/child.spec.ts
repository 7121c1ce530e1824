// The child's own phone: a coordinator makes a child code in the console, a child
// fills in the three houses on a 360 px phone at /kind, the console sees them, the
// family's phone does not, and a revoked code stops working.
import { expect, test } from '@playwright/test';
import { base, joinPhone, startSafetyMeeting } from './start-meeting';
import { checkSurfaces } from './surfaces';

const FAMILY = 'Gezin K.';

test("a child fills in their three houses on their own phone with a child code; only the console sees them", async ({ browser }) => {
  test.setTimeout(90_000);
  const { coordCtx, coord, code: joinCode } = await startSafetyMeeting(browser, FAMILY, 'Veiligheidsgesprek', ['Moeder', 'Veilig Thuis'],
    { strengths: true });

  const panel = coord.getByTestId('child-codes');
  await expect(panel).toContainText('Nog geen kindcodes.');
  await panel.getByRole('button', { name: 'Nieuwe kindcode' }).click();
  const shown = (await panel.getByTestId('child-code-value').textContent())?.trim() ?? '';
  expect(shown).toMatch(/^[0-9A-Z]{4} [0-9A-Z]{4}$/);
  expect(shown.replace(' ', '')).not.toBe(joinCode);
  await expect(panel.getByTestId('child-code')).toContainText('Nog niet ingevuld.');

  const childCtx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 2, baseURL: base(), locale: 'nl-NL' });
  const child = await childCtx.newPage();
  await child.goto('/kind');
  await expect(child.getByRole('heading', { name: 'Jouw drie huizen', level: 1 })).toBeVisible();
  // A join code is no child code.
  await child.getByLabel('Jouw code').fill(joinCode);
  await child.getByRole('button', { name: 'Verder' }).click();
  await expect(child.getByRole('alert')).toHaveText('Deze code kennen we niet. Kijk de code nog een keer na.');
  // Typed as people type: lower case, with the space.
  await child.getByLabel('Jouw code').fill(shown.toLowerCase());
  await child.getByRole('button', { name: 'Verder' }).click();
  await expect(child.getByRole('heading', { name: 'Zorgen', level: 2 })).toBeVisible();
  await expect(child.getByRole('heading', { name: 'Wat gaat goed', level: 2 })).toBeVisible();
  await expect(child.getByRole('heading', { name: 'Wensen', level: 2 })).toBeVisible();
  await child.getByLabel('Hoe wil je genoemd worden?').fill('Kim');
  await child.getByLabel('Wat vind je moeilijk of eng? Waar denk je veel aan?').fill('Als het thuis hard gaat ben ik bang');
  await child.getByLabel('Wat gaat goed? Waar ben je blij mee?').fill('Voetballen met oma');
  await child.getByLabel('Wat wens je? Wat zou je anders willen?').fill('Dat iedereen rustig praat');
  await child.getByRole('button', { name: 'Opslaan' }).click();
  await expect(child.getByRole('status').filter({ hasText: 'Dank je wel' })).toHaveText('Dank je wel! Het is opgeslagen. Je mag het nog veranderen.');
  // Nothing of the meeting reaches the child's page.
  await expect(child.getByText(FAMILY)).toHaveCount(0);
  await expect(child.getByText('Moeder')).toHaveCount(0);
  await expect(child.getByText('Veilig Thuis')).toHaveCount(0);
  await checkSurfaces('child-01-houses', [{ name: 'phone-child', page: child }]);

  // The console sees the houses at once, for the coordinator only.
  const houses = panel.getByTestId('child-houses');
  await expect(houses).toContainText('Kim');
  await expect(houses).toContainText('Als het thuis hard gaat ben ik bang');
  await expect(houses).toContainText('Voetballen met oma');
  await expect(houses).toContainText('Zelf ingevuld door het kind');

  // A mother's phone that joins now does not get them.
  const { ctx: phoneCtx, page: phone } = await joinPhone(browser, coord, joinCode, 'Sanne', 'Moeder');
  await expect(phone.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();
  await expect(phone.getByText('Voetballen met oma')).toHaveCount(0);
  await expect(phone.getByText('hard gaat')).toHaveCount(0);

  // Revoked, the code saves nothing more.
  await panel.getByRole('button', { name: 'Intrekken' }).click();
  await expect(panel.getByTestId('child-code')).toContainText('ingetrokken');
  await checkSurfaces('child-02-console', [{ name: 'coordinator', page: coord }]);
  await child.getByLabel('Wat wens je? Wat zou je anders willen?').fill('Een hond');
  await child.getByRole('button', { name: 'Opslaan' }).click();
  await expect(child.getByRole('alert')).toHaveText('Deze code werkt niet meer. Vraag de gespreksleider om een nieuwe code.');
  await expect(houses).toContainText('Dat iedereen rustig praat');
  await expect(houses).not.toContainText('Een hond');
  await checkSurfaces('child-03-revoked', [{ name: 'phone-child', page: child }]);

  await Promise.all([coordCtx.close(), childCtx.close(), phoneCtx.close()]);
});
