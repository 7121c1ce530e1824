// A party's own safety notes on its phone, in a Signs of Safety meeting: the mother
// writes down existing safety and a complicating factor in the worries round (one
// while her phone is offline: it waits in the outbox and arrives once she is back),
// the console sees them at once with her party's name, and the plan on the shared
// screen and the phones shows them. An empty note is refused on the phone and sends
// nothing. The interpreter's phone has no form: an interpreter adds nothing.
import { expect, test } from '@playwright/test';
import { base, joinPhone, next, startSafetyMeeting, worriesToPlan } from './start-meeting';
import { checkSurfaces } from './surfaces';

const worries = ['Er is vaak ruzie thuis', 'Er is te weinig geld', 'Kim slaapt slecht'] as const;
const notes = { grandma: 'Oma woont om de hoek', drinks: 'Vader drinkt in het weekend', school: 'De juf belt als Kim niet komt' };

test("a phone writes down its party's existing safety and complicating factors; the console and the plan show them; an interpreter has no form", async ({ browser }) => {
  test.setTimeout(120_000);
  const { coordCtx, coord, meetingId, code } = await startSafetyMeeting(browser, 'Gezin N.', 'Veiligheidsgesprek',
    ['Moeder', 'Veilig Thuis', 'Tolk Arabisch:interpreter']);
  const screenCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1920, height: 1080 }, storageState: await coordCtx.storageState() });
  const screen = await screenCtx.newPage();
  await screen.goto(`/screen/${encodeURIComponent(meetingId)}`);
  const sanne = await joinPhone(browser, coord, code, 'Sanne', 'Moeder');
  const ali = await joinPhone(browser, coord, code, 'Ali', 'Tolk Arabisch');

  await next(coord, 'Zorgen');
  const form = sanne.page.getByTestId('phone-notes');
  const mine = form.getByTestId('my-notes');
  const panel = coord.getByTestId('safety-notes');
  await expect(form.getByText('Iedereen aan tafel ziet het meteen.')).toBeVisible();
  await expect(ali.page.getByRole('heading', { name: 'Op tafel' })).toBeVisible();
  await expect(ali.page.getByTestId('phone-notes')).toHaveCount(0);
  await expect(ali.page.getByLabel('In je eigen woorden')).toHaveCount(0);

  // Nothing typed: the phone says so and sends nothing.
  await form.getByRole('button', { name: 'Opschrijven' }).click();
  await expect(form.getByRole('alert')).toHaveText('Schrijf eerst iets op.');
  await expect(mine.locator('li')).toHaveCount(0);

  // Existing safety, as the mother sees it.
  await form.getByLabel('Wat schrijf je op?').selectOption({ label: 'Wat houdt het kind nu al veilig' });
  await form.getByLabel('In je eigen woorden').fill(notes.grandma);
  await form.getByRole('button', { name: 'Opschrijven' }).click();
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expect(mine).toContainText(`${notes.grandma} (Wat houdt het kind nu al veilig)`);
  await expect(panel.getByTestId('notes-existing')).toContainText(`${notes.grandma} (Moeder)`);

  // Offline, a complicating factor waits on the phone; back online it reaches the table.
  await sanne.ctx.setOffline(true);
  await expect(sanne.page.getByText('Geen internet. Je werk wordt bewaard.')).toBeVisible();
  await form.getByLabel('Wat schrijf je op?').selectOption({ label: 'Wat maakt het moeilijker' });
  await form.getByLabel('In je eigen woorden').fill(notes.drinks);
  await form.getByRole('button', { name: 'Opschrijven' }).click();
  await expect(form.getByLabel('In je eigen woorden')).toHaveValue('');
  await expect(mine.locator('li', { hasText: notes.drinks })).toContainText('Wordt verstuurd…');
  await expect(panel.getByTestId('notes-complicating')).toHaveCount(0);
  await checkSurfaces('sos-notes-01-offline', [{ name: 'phone-sanne', page: sanne.page }]);
  await sanne.ctx.setOffline(false);
  await expect(panel.getByTestId('notes-complicating')).toContainText(`${notes.drinks} (Moeder)`, { timeout: 20_000 });
  await expect(mine.locator('li', { hasText: notes.drinks })).toContainText('(Wat maakt het moeilijker)');
  await expect(mine).not.toContainText('Wordt verstuurd…');
  await expect(mine.locator('li')).toHaveCount(2);
  await checkSurfaces('sos-notes-02-worries', [
    { name: 'coordinator', page: coord },
    { name: 'phone-sanne', page: sanne.page },
    { name: 'phone-ali', page: ali.page },
  ]);

  // Three worries to the plan, where the phone still writes notes and the plan shows them all.
  await worriesToPlan(coord, sanne.page, worries);
  await form.getByLabel('Wat schrijf je op?').selectOption({ label: 'Wat houdt het kind nu al veilig' });
  await form.getByLabel('In je eigen woorden').fill(notes.school);
  await form.getByRole('button', { name: 'Opschrijven' }).click();
  await expect(panel.getByTestId('notes-existing')).toContainText(`${notes.school} (Moeder)`);
  await expect(ali.page.getByTestId('phone-notes')).toHaveCount(0);
  for (const page of [screen, sanne.page, ali.page]) {
    const plan = page.getByTestId('safety-plan');
    await expect(plan).toContainText(`${notes.grandma} — Moeder`);
    await expect(plan).toContainText(`${notes.school} — Moeder`);
    await expect(plan).toContainText(`${notes.drinks} — Moeder`);
  }
  await checkSurfaces('sos-notes-03-plan', [
    { name: 'screen', page: screen },
    { name: 'phone-sanne', page: sanne.page },
  ]);

  for (const c of [coordCtx, screenCtx, sanne.ctx, ali.ctx]) await c.close();
});
