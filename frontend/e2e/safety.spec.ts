// A meeting in the Signs of Safety shape, prepared and written in the console,
// a protected source on the professional's phone, and the family's own PDF on a 360 px phone.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { checkSurfaces } from './surfaces';
import { joinPhone, next, startSafetyMeeting } from './start-meeting';

const FAMILY = 'Gezin S.';

test('a Signs of Safety meeting in the browser: a protected source, a statement, per-party scaling, a condition answered by a safety agreement, and the family downloads its PDF on a 360 px phone', async ({ browser }) => {
  test.setTimeout(90_000);
  const { coordCtx, coord, meetingId, code } = await startSafetyMeeting(browser, FAMILY, 'Veiligheidsgesprek', ['Moeder', 'Veilig Thuis']);
  const { ctx: phoneCtx, page: phone } = await joinPhone(browser, coord, code, 'Sanne', 'Moeder');
  await expect(phone.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();
  // Veilig Thuis joins on a phone too.
  const { ctx: vtCtx, page: vt } = await joinPhone(browser, coord, code, 'Anouk', 'Veilig Thuis');
  await expect(vt.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();

  await next(coord, 'Zorgen');
  const worries = ['Ik ben bang als het thuis ruzie is', 'Er is te weinig geld', 'Kim is vaak alleen thuis'] as const;
  for (const text of worries.slice(0, 2)) {
    await phone.getByLabel('Nieuwe zorg').fill(text);
    await phone.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await expect(phone.getByTestId('my-items')).toContainText(text);
  }
  // Veilig Thuis protects who reported its worry and checks the family's wording.
  await vt.getByLabel('Nieuwe zorg').fill(worries[2]);
  await vt.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(vt.getByTestId('my-items')).toContainText(worries[2]);
  await vt.getByLabel(`Melder bij: ${worries[2]}`).fill('Juf Bakker van de school');
  await vt.getByTestId('phone-sources').getByRole('button', { name: 'Opslaan' }).click();
  await vt.getByRole('button', { name: 'De woorden voor het gezin kloppen' }).click();
  await expect(vt.getByText('Woorden gecontroleerd')).toBeVisible();
  await expect(phone.getByText('Wordt verstuurd…')).toHaveCount(0);
  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(phone.getByText(worries[2])).toBeVisible();
  await expect(phone.locator('body')).not.toContainText('Bakker');
  await expect(coord.locator('body')).not.toContainText('Bakker');
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  for (const [i, text] of worries.entries()) {
    await phone.getByTestId('rank-list').locator('li', { hasText: text }).getByRole('button', { name: `Plaats ${i + 1}` }).click();
  }
  await expect(phone.getByTestId('rank-state')).toContainText('Opgeslagen');
  await next(coord, 'Afspreken');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(coord.getByTestId('agreed-top3')).toContainText('Ik ben bang');
  await next(coord, 'Plan');
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Veilig Thuis' });
  await coord.getByLabel('Rol van de regisseur').fill('Jeugdbeschermer');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(phone.getByTestId('plan')).toContainText('Jeugdbeschermer');

  // The Signs of Safety part: a worry statement with its safety goal, a scaling
  // question with both ends, a condition of Veilig Thuis, a safety agreement with a
  // plan B that answers it, and how the family reaches the regisseur.
  const editor = coord.getByTestId('safety-editor');
  const statement = editor.getByTestId('statement-form').first();
  await statement.getByLabel('Wie maakt zich zorgen').fill('Veilig Thuis en de school');
  await statement.getByLabel('Wat moeten we zien om zeker te weten dat het kind veilig is').fill('Kim voelt zich thuis veilig');
  await statement.getByLabel('Hoe lang').fill('6 maanden');
  await statement.getByRole('button', { name: 'Opslaan' }).click();
  await expect(phone.getByTestId('safety-plan')).toContainText('Kim voelt zich thuis veilig');
  await editor.getByLabel('Vraag').fill('Hoe veilig is Kim thuis?');
  await editor.getByLabel('Wat betekent 10?').fill('Iedereen weet dat Kim veilig is');
  await editor.getByLabel('Wat betekent 0?').fill('Kim kan niet thuis blijven');
  await editor.getByRole('button', { name: 'Schaalvraag toevoegen' }).click();
  await expect(phone.getByTestId('safety-scale')).toContainText('10 betekent: Iedereen weet dat Kim veilig is');
  // The mother gives her own score on her phone.
  await phone.getByTestId('phone-scores').getByLabel('Hoe veilig is Kim thuis?').selectOption('7');
  await expect(phone.getByTestId('safety-scale')).toContainText('Moeder: 7 / 10');
  await editor.getByLabel('Wie stelt de voorwaarde').selectOption({ label: 'Veilig Thuis' });
  await editor.getByLabel('De voorwaarde, zoals de hulpverlener die zegt').fill('Geen geweld in het bijzijn van het kind');
  await editor.getByLabel('Dezelfde voorwaarde in gewone woorden voor het gezin').fill('Niemand slaat of schopt als Kim thuis is');
  await editor.getByRole('button', { name: 'Voorwaarde toevoegen' }).click();
  await expect(phone.getByTestId('safety-conditions')).toContainText('Niemand slaat of schopt als Kim thuis is');
  await expect(phone.getByTestId('safety-conditions')).not.toContainText('in het bijzijn');
  await editor.getByLabel('Wat gebeurt er').fill('Bij ruzie gaat Kim naar oma');
  await editor.getByLabel('Wie doet het').selectOption({ label: 'Moeder' });
  await editor.getByLabel('Wie controleert het').selectOption({ label: 'Veilig Thuis' });
  await editor.getByLabel('Plan B als het niet lukt').fill('Moeder belt Veilig Thuis');
  await editor.getByLabel('Niemand slaat of schopt als Kim thuis is').check();
  await editor.getByRole('button', { name: 'Afspraak toevoegen' }).click();
  await expect(phone.getByTestId('safety-agreement')).toContainText('Plan B als het niet lukt: Moeder belt Veilig Thuis');
  const contact = coord.getByTestId('contact-form');
  await contact.getByLabel('Organisatie').fill('Veilig Thuis Voorbeeld');
  await contact.getByLabel('E-mail (werk)').fill('regie@example.org');
  await contact.getByRole('button', { name: 'Opslaan' }).click();
  await expect(phone.getByTestId('regisseur-contact')).toContainText('regie@example.org');
  // The coordinator looks up who reported, on request only (and the server logs it).
  await editor.getByRole('button', { name: 'Toon wie zorgen heeft gemeld' }).click();
  await expect(editor.getByTestId('sources')).toContainText('Juf Bakker van de school');
  await expect(phone.locator('body')).not.toContainText('Bakker');

  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();

  // The phone shows the closed plan and a download of the family's own PDF.
  await phone.goto(`/m/${encodeURIComponent(meetingId)}`);
  await expect(phone.getByRole('heading', { name: 'Het plan is klaar' })).toBeVisible();
  const link = phone.getByTestId('family-pdf');
  await expect(link).toHaveText('Plan downloaden (PDF)');
  const box = await link.boundingBox();
  expect(box && box.height >= 44 && box.x >= 0 && box.x + box.width <= 360).toBeTruthy();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await checkSurfaces('sos-01-family-pdf', [{ name: 'phone-sanne', page: phone }]);
  const [download] = await Promise.all([phone.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^plan-gezin-s-\d{4}-\d{2}-\d{2}-v1\.pdf$/);
  const path = (await download.path()) ?? '';
  expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  if (existsSync('/usr/bin/pdftotext')) {
    const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', path, '-']).toString();
    expect(text).toContain('Plan van Gezin S.');
    expect(text).toContain('Ik ben bang als het thuis ruzie is');
    expect(text).toContain('Veiligheidsplan');
    expect(text).toContain('Moeder belt Veilig Thuis');
    expect(text).toContain('Niemand slaat of schopt als Kim thuis is');
    expect(text).toContain('Kim voelt zich thuis veilig');
    expect(text).toContain('regie@example.org');
    expect(text).not.toContain('Bakker');
  }

  // The follow-up looks back at the safety plan: the agreement held, a new score per party.
  await coord.goto(`/meetings/${encodeURIComponent(meetingId)}`);
  await coord.getByRole('button', { name: 'Vervolggesprek maken' }).click();
  await expect(coord).not.toHaveURL(new RegExp(meetingId));
  await next(coord, 'Terugblik');
  const review = coord.getByTestId('safety-review');
  await review.getByRole('group', { name: 'Bij ruzie gaat Kim naar oma' }).getByLabel('Gelukt', { exact: true }).check();
  await review.getByLabel('Moeder (vorige keer 7)').selectOption('8');
  await coord.reload();
  await expect(coord.getByTestId('safety-review').getByRole('group', { name: 'Bij ruzie gaat Kim naar oma' }).getByLabel('Gelukt', { exact: true })).toBeChecked();
  await expect(coord.getByTestId('safety-review').getByLabel('Moeder (vorige keer 7)')).toHaveValue('8');
  await checkSurfaces('sos-02-review', [{ name: 'coordinator', page: coord }]);

  await coordCtx.close();
  await phoneCtx.close();
  await vtCtx.close();
});
