// Helpers for the browser tests: the surfaces of one meeting, a screenshot and
// an axe-core scan of each, per phase.
import { expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// Injected by evaluation, not a <script> tag: the app's CSP (rightly) blocks inline scripts.
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

export interface Surface {
  name: string;
  page: Page;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page and returns violations of impact serious or critical. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Controls on the page smaller than 44 by 44 CSS pixels (WCAG 2.5.5). */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, select, textarea, input:not([type=radio]):not([type=checkbox]), summary, label:has(input[type=radio])')]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width < 44 || r.height < 44;
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`),
  );
}

/** Screenshots every surface into test-results/ and checks it with axe. */
export async function checkSurfaces(phase: string, surfaces: Surface[]): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  for (const s of surfaces) {
    // Let animations (ranking reorder) settle before the picture.
    await s.page.waitForTimeout(150);
    await s.page.screenshot({ path: `${resultsDir}${phase}-${s.name}.png`, fullPage: true });
    const found = await seriousViolations(s.page);
    expect.soft(found, `axe on ${s.name} in ${phase}`).toEqual([]);
    if (s.name.startsWith('phone')) expect.soft(await smallTargets(s.page), `touch targets on ${s.name} in ${phase}`).toEqual([]);
  }
}
