// The console's security pages: an admin adds an account and the one-time link
// works; that person turns on a second factor, signs in with a code, turns it
// off again; the admin removes the account. And sign-in through the
// organisation is offered only when the server has it.
import { expect, test, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { seriousViolations } from './surfaces';

const base = () => process.env.TAFEL_E2E_BASE_URL ?? '';

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, as an authenticator app makes it. */
function totp(secret: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
}

test('accounts, one-time link and second factor, from the console', async ({ browser }) => {
  const adminCtx = await browser.newContext({ baseURL: base() });
  const admin = await adminCtx.newPage();
  await signIn(admin, process.env.TAFEL_E2E_EMAIL ?? '', process.env.TAFEL_E2E_PASSWORD ?? '');
  await expect(admin.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();
  await expect(admin.getByTestId('oidc-start')).toHaveCount(0);

  // The admin adds Jorien and gets her one-time link.
  await admin.getByRole('link', { name: 'Accounts', exact: true }).click();
  await admin.getByLabel('Naam', { exact: true }).fill('Jorien');
  await admin.getByLabel('E-mailadres', { exact: true }).fill('jorien@example.org');
  await admin.getByRole('button', { name: 'Account maken' }).click();
  const link = await admin.getByLabel('Eenmalige link').inputValue();
  expect(link).toMatch(/\/setup\?token=/);
  await expect(admin.getByTestId('account-list').locator('tr', { hasText: 'Jorien' })).toContainText('Wacht op wachtwoord');
  expect(await seriousViolations(admin)).toEqual([]);

  // Jorien opens it, chooses a password and is signed in.
  const ctx = await browser.newContext({ baseURL: base() });
  const page = await ctx.newPage();
  await page.goto(new URL(link).pathname + new URL(link).search);
  await page.getByLabel('Nieuw wachtwoord').fill('een heel lang wachtwoord');
  await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await expect(page.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();
  expect(page.url()).not.toContain('token=');
  await expect(page.getByRole('link', { name: 'Accounts', exact: true })).toHaveCount(0);

  // She turns on the second factor with the secret shown as text (and as a QR code).
  await page.getByRole('link', { name: 'Mijn account' }).click();
  await expect(page.getByTestId('totp-status')).toHaveText('Staat uit');
  await page.getByRole('button', { name: 'Instellen' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByText('De hele link voor je app').click();
  await expect(page.getByTestId('totp-url')).toContainText('otpauth://totp/Tafel:jorien@example.org');
  const qr = page.getByRole('img', { name: 'QR-code om met je app te scannen' });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel('Typ de 6 cijfers die je app nu laat zien').fill('000000');
  await page.getByRole('button', { name: 'Aanzetten' }).click();
  await expect(page.getByRole('alert')).toHaveText('Deze code klopt niet. Probeer de nieuwe code uit je app.');
  // A code works once, so each step below uses the next 30-second code: the app's
  // clock half a minute behind, on time, then half a minute ahead (all accepted).
  await page.getByLabel('Typ de 6 cijfers die je app nu laat zien').fill(totp(secret, Date.now() - 30_000));
  await page.getByRole('button', { name: 'Aanzetten' }).click();
  await expect(page.getByTestId('totp-status')).toHaveText('Staat aan');

  // Signing in now asks for the code.
  await page.getByRole('button', { name: 'Afmelden' }).click();
  await signIn(page, 'jorien@example.org', 'een heel lang wachtwoord');
  await expect(page.getByTestId('totp-step')).toBeVisible();
  await expect(page.getByLabel('Code uit je app')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel('Code uit je app').fill(totp(secret, Date.now() - 10 * 60_000));
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByRole('alert')).toHaveText('Deze code klopt niet. Typ de nieuwe code uit je app.');
  await page.getByLabel('Code uit je app').fill(totp(secret));
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByRole('heading', { name: 'Gesprekken', level: 1 })).toBeVisible();

  // And off again, with a code.
  await page.getByRole('link', { name: 'Mijn account' }).click();
  await page.getByLabel('Code uit je app').fill(totp(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Uitzetten' }).click();
  await expect(page.getByTestId('totp-status')).toHaveText('Staat uit');

  // The admin removes her account, after a confirmation that names her.
  await admin.reload();
  await admin.getByRole('button', { name: 'Weghalen: Jorien' }).click();
  await expect(admin.getByRole('heading', { name: 'Account van Jorien weghalen?' })).toBeVisible();
  await admin.getByRole('button', { name: 'Ja, weghalen' }).click();
  await expect(admin.getByTestId('account-list')).not.toContainText('Jorien');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Aanmelden', level: 1 })).toBeVisible();

  await ctx.close();
  await adminCtx.close();
});

test('sign-in through the organisation is offered when the server has it', async ({ page }) => {
  await page.route('**/api/setup', (route) => route.fulfill({ json: { needed: false, oidc: true } }));
  await page.goto(`${base()}/`);
  const button = page.getByRole('link', { name: 'Inloggen met je organisatie' });
  await expect(button).toBeVisible();
  await expect(button).toHaveAttribute('href', '/api/auth/oidc/start');
});
