// A Signs of Safety meeting closed in the browser: a condition Veilig Thuis sets on
// its own phone blocks closing until Veilig Thuis marks it met, the child's three
// houses (filled in on the child's own phone) are brought to the table by a named
// person, and the interpreter's phone shows no form to add anything of their own.
// Along the way the console writes down existing safety and a complicating factor,
// and marks a condition it set on behalf of Veilig Thuis waived (not without a reason).
import { expect, test, type Page } from '@playwright/test';
import { base, joinPhone, next, startSafetyMeeting } from './start-meeting';
import { checkSurfaces } from './surfaces';

const FAMILY = 'Gezin V.';

test('a condition blocks closing until its professional marks it met; the child is heard through a named person; the interpreter adds nothing', async ({ browser }) => {
  test.setTimeout(120_000);
  const { coordCtx, coord, code } = await startSafetyMeeting(browser, FAMILY, 'Veiligheidsgesprek',
    ['Moeder', 'Veilig Thuis', 'Tolk Arabisch:interpreter']);

  const phones: Record<string, Page> = {};
  for (const [name, party] of [['Sanne', 'Moeder'], ['Anouk', 'Veilig Thuis'], ['Ali', 'Tolk Arabisch']] as const) {
    const p = (await joinPhone(browser, coord, code, name, party)).page;
    await expect(p.getByRole('heading', { name: 'Je bent binnen' })).toBeVisible();
    phones[name] = p;
  }
  const { Sanne: sanne, Anouk: anouk, Ali: ali } = phones as Record<'Sanne' | 'Anouk' | 'Ali', Page>;

  // Kim fills in the three houses on her own phone before the meeting goes on.
  await coord.getByTestId('child-codes').getByRole('button', { name: 'Nieuwe kindcode' }).click();
  const childCode = (await coord.getByTestId('child-code-value').textContent())?.trim() ?? '';
  const childCtx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, baseURL: base(), locale: 'nl-NL' });
  const child = await childCtx.newPage();
  await child.goto('/kind');
  await child.getByLabel('Jouw code').fill(childCode);
  await child.getByRole('button', { name: 'Verder' }).click();
  await child.getByLabel('Hoe wil je genoemd worden?').fill('Kim');
  await child.getByLabel('Wat vind je moeilijk of eng? Waar denk je veel aan?').fill('Ik schrik als er geschreeuwd wordt');
  await child.getByLabel('Wat wens je? Wat zou je anders willen?').fill('Een eigen kamer');
  await child.getByRole('button', { name: 'Opslaan' }).click();
  await expect(coord.getByTestId('child-houses')).toContainText('Ik schrik als er geschreeuwd wordt');

  await next(coord, 'Zorgen');
  const worries = ['Er is vaak ruzie thuis', 'Er is te weinig geld', 'Kim slaapt slecht'] as const;
  for (const text of worries) {
    await sanne.getByLabel('Nieuwe zorg').fill(text);
    await sanne.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await expect(sanne.getByTestId('my-items')).toContainText(text);
  }
  // The interpreter's phone follows the round but has no form to add a worry.
  await expect(ali.getByRole('heading', { name: 'Op tafel' })).toBeVisible();
  await expect(ali.getByLabel('Nieuwe zorg')).toHaveCount(0);
  await expect(ali.getByRole('button', { name: 'Toevoegen', exact: true })).toHaveCount(0);
  await expect(ali.getByTestId('phone-conditions')).toHaveCount(0);
  await checkSurfaces('sos-close-01-interpreter', [{ name: 'phone-ali', page: ali }]);

  // Veilig Thuis sets a condition on its own phone.
  const conditions = anouk.getByTestId('phone-conditions');
  await conditions.getByLabel('De voorwaarde, zoals jij die zegt').fill('Geen geweld waar Kim bij is');
  await conditions.getByLabel('Dezelfde voorwaarde in gewone woorden voor het gezin').fill('Niemand slaat als Kim thuis is');
  await conditions.getByRole('button', { name: 'Voorwaarde toevoegen' }).click();
  await expect(conditions).toContainText('Niemand slaat als Kim thuis is');
  const editorCondition = coord.getByTestId('condition').filter({ hasText: 'Niemand slaat als Kim thuis is' });

  // The coordinator writes down existing safety and a complicating factor for a
  // party, and takes the second away again.
  const notes = coord.getByTestId('safety-notes');
  await notes.getByLabel('Wat houdt het kind nu al veilig').check();
  await notes.getByLabel('Namens welke partij').selectOption({ label: 'Moeder' });
  await notes.getByLabel('Wat is er').fill('Oma woont om de hoek');
  await notes.getByRole('button', { name: 'Opschrijven' }).click();
  await expect(notes.getByTestId('notes-existing')).toContainText('Oma woont om de hoek (Moeder)');
  await notes.getByLabel('Wat maakt het moeilijker').check();
  await notes.getByLabel('Namens welke partij').selectOption({ label: 'Veilig Thuis' });
  await notes.getByLabel('Wat is er').fill('Vader drinkt in het weekend');
  await notes.getByRole('button', { name: 'Opschrijven' }).click();
  await expect(notes.getByTestId('notes-complicating')).toContainText('Vader drinkt in het weekend');
  await notes.getByRole('button', { name: 'Weghalen: Vader drinkt in het weekend' }).click();
  await expect(notes.getByTestId('notes-complicating')).toHaveCount(0);

  await coord.getByRole('button', { name: 'Alles onthullen' }).click();
  await expect(ali.getByTestId('table-items')).toContainText(worries[2]);
  await next(coord, 'Samenvoegen');
  await next(coord, 'Top 3 kiezen');
  for (const [i, text] of worries.entries()) {
    await sanne.getByTestId('rank-list').locator('li', { hasText: text }).getByRole('button', { name: `Plaats ${i + 1}` }).click();
  }
  await expect(sanne.getByTestId('rank-state')).toContainText('Opgeslagen');
  await next(coord, 'Afspreken');
  await coord.getByRole('button', { name: 'Top 3 vastleggen' }).click();
  await expect(coord.getByTestId('agreed-top3')).toContainText(worries[0]);
  await next(coord, 'Plan');
  await coord.getByLabel('Regisseur', { exact: true }).selectOption({ label: 'Veilig Thuis' });
  await coord.getByLabel('Rol van de regisseur').fill('Jeugdbeschermer');
  await coord.getByLabel('Volgende evaluatie').fill('2030-06-01');
  await coord.locator('form.details').getByRole('button', { name: 'Opslaan' }).click();
  await expect(sanne.getByTestId('plan')).toContainText('Jeugdbeschermer');
  // Set on a phone, the condition is marked only by whoever set it.
  await expect(editorCondition).toContainText('Alleen Anouk zet deze voorwaarde op gehaald of vervallen');
  await expect(sanne.getByTestId('safety-plan')).toContainText('Oma woont om de hoek');
  await expect(sanne.getByTestId('safety-plan')).not.toContainText('Vader drinkt');
  // One set in the console on behalf of Veilig Thuis, the coordinator marks waived, with a reason.
  const conditionEditor = coord.getByTestId('condition-editor');
  await conditionEditor.getByLabel('Wie stelt de voorwaarde').selectOption({ label: 'Veilig Thuis' });
  await conditionEditor.getByLabel('De voorwaarde, zoals de hulpverlener die zegt').fill('Kim gaat elke dag naar school');
  await conditionEditor.getByLabel('Dezelfde voorwaarde in gewone woorden voor het gezin').fill('Kim gaat elke dag naar school');
  await conditionEditor.getByRole('button', { name: 'Voorwaarde toevoegen' }).click();
  const onBehalf = coord.getByTestId('condition').filter({ hasText: 'Kim gaat elke dag naar school' });
  await onBehalf.getByLabel('Hoe staat het ervoor').selectOption('waived');
  await onBehalf.getByRole('button', { name: 'Opslaan' }).click();
  await expect(coord.getByRole('alert')).toContainText('Schrijf op waarom de voorwaarde gehaald of vervallen is.');
  await expect(onBehalf).toContainText('staat nog open');
  await onBehalf.getByLabel('Waarom (nodig bij gehaald of vervallen)').fill('De school zit in de vakantie');
  await onBehalf.getByRole('button', { name: 'Opslaan' }).click();
  await expect(onBehalf).toContainText('vervallen');
  await expect(onBehalf).toContainText('Waarom: De school zit in de vakantie');

  // Sanne brings Kim's story to the table: from now on the table sees the houses.
  await expect(sanne.locator('body')).not.toContainText('geschreeuwd');
  const draft = coord.getByTestId('child-draft');
  await expect(draft).toContainText('Zelf ingevuld door het kind');
  await draft.getByLabel('Wie vertelt het verhaal van het kind').selectOption({ label: 'Sanne' });
  await draft.getByLabel('Wat zegt het kind zelf').fill('Kim wil dat het rustig is thuis');
  await draft.getByRole('button', { name: 'Op tafel leggen' }).click();
  const voice = sanne.getByTestId('child-voice');
  await expect(voice).toContainText('Verteld door Sanne');
  await expect(voice).toContainText('Ik schrik als er geschreeuwd wordt');

  // The open condition blocks closing, and nothing closes.
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('alert').filter({ hasText: 'Het plan kan nog niet dicht' })).toContainText(
    'Een voorwaarde heeft nog geen afspraak in het veiligheidsplan.',
  );
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toHaveCount(0);
  await checkSurfaces('sos-close-02-blocked', [{ name: 'coordinator', page: coord }]);

  // Veilig Thuis marks it met, with a reason; then the meeting closes.
  await conditions.getByLabel('Hoe staat het ervoor').selectOption('met');
  await conditions.getByLabel('Waarom (nodig bij gehaald of vervallen)').fill('Vader woont nu bij zijn broer');
  await conditions.getByRole('button', { name: 'Opslaan' }).click();
  await expect(editorCondition).toContainText('gehaald');
  await expect(sanne.getByTestId('safety-conditions')).toContainText('gehaald');
  await checkSurfaces('sos-close-03-condition-met', [{ name: 'phone-anouk', page: anouk }]);
  await coord.getByRole('button', { name: 'Gesprek afsluiten' }).click();
  await coord.getByRole('button', { name: 'Ja, afsluiten' }).click();
  await expect(coord.getByRole('heading', { name: 'Het gesprek is afgesloten' })).toBeVisible();

  await Promise.all([coordCtx.close(), childCtx.close(), ...Object.values(phones).map((p) => p.context().close())]);
});
