// The shared screen fits the room's screen: at 1920x1080 and 1280x720, with a
// 500-character worry and eight parties, nothing in any phase is cut off (every
// block of text is wholly on a page of the screen or wholly on another page,
// never half) and body text is at least 36 px at 1080p. The meeting is played
// by a protocol client in the coordinator's page; the screen is the real one.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resultsDir } from './surfaces';

const base = () => {
  const url = process.env.TAFEL_E2E_BASE_URL;
  if (!url) throw new Error('TAFEL_E2E_BASE_URL not set (global setup did not run?)');
  return url;
};

const long = ('Vader en moeder maken vaak ruzie over geld en over de opvoeding, ook als de kinderen erbij zijn. ' +
  'Kim slaapt daardoor slecht, komt te laat op school en durft niet te vertellen wat er thuis gebeurt. ').repeat(3).slice(0, 500);
const goal3 = 'Kim slaapt weer goed en gaat elke dag op tijd naar school, met hulp van oma in de ochtend';
const parties = [
  { name: 'Vader', kind: 'family' },
  { name: 'Moeder', kind: 'family' },
  { name: 'Oma Els', kind: 'network' },
  { name: 'Gebiedsteam', kind: 'professional' },
  { name: 'Veilig Thuis', kind: 'professional' },
  { name: 'Raad voor de Kinderbescherming', kind: 'professional' },
  { name: 'Jeugdreclassering', kind: 'professional' },
  { name: 'Gecertificeerde Instelling', kind: 'professional' },
];

// Installs a small protocol client in the coordinator's page: window.tafel.
async function installClient(coord: Page): Promise<void> {
  await coord.evaluate(() => {
    type Frame = { type: string; id?: string; name?: string; data?: Record<string, unknown>; code?: string };
    class Sock {
      ws: WebSocket;
      waiting = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
      events: Frame[] = [];
      n = 0;
      ready: Promise<void>;
      constructor(meetingId: string, hello: Record<string, unknown>) {
        this.ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/meetings/${encodeURIComponent(meetingId)}/ws`);
        this.ready = new Promise((ok, fail) => {
          this.ws.onopen = () => this.ws.send(JSON.stringify({ type: 'hello', lastSeq: 0, ...hello }));
          this.ws.onmessage = (m) => {
            const f = JSON.parse(m.data as string) as Frame;
            if (f.type === 'welcome') ok();
            if (f.type === 'event') this.events.push(f);
            const w = f.id ? this.waiting.get(f.id) : undefined;
            if (w && f.type === 'ack') w.ok();
            if (w && f.type === 'error') w.fail(new Error(`${f.id}: ${f.code}`));
          };
          this.ws.onclose = (ev) => fail(new Error(`closed ${ev.code} ${ev.reason}`));
        });
      }
      send(name: string, data: Record<string, unknown> = {}): Promise<void> {
        const id = `e2e-${name.replace(/\W/g, '')}-${++this.n}`;
        return new Promise((ok, fail) => {
          this.waiting.set(id, { ok, fail });
          this.ws.send(JSON.stringify({ type: 'command', id, name, data }));
        });
      }
    }
    (window as unknown as { tafel: unknown }).tafel = { Sock, socks: {} as Record<string, Sock> };
  });
}

interface Setup {
  meetingId: string;
  code: string;
}

async function createMeeting(coord: Page): Promise<Setup> {
  return coord.evaluate(async (parties) => {
    const post = async (path: string, body: unknown) => {
      const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const fam = await post('/api/families', { label: 'Gezin W.' });
    const m = await post('/api/meetings', {
      familyId: fam.id, title: 'Top-3-gesprek met een lange naam voor het scherm', date: '2026-12-02',
      strengthsRound: false, weighting: 'party', parties,
    });
    return { meetingId: m.id as string, code: m.joinCode as string };
  }, parties);
}

// Runs a step of the meeting in the coordinator's page (see installClient).
async function step(coord: Page, s: Setup, what: string): Promise<void> {
  await coord.evaluate(
    async ({ s, what, long, goal3 }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const T = (window as any).tafel;
      const c = T.socks.coord;
      const items = () => {
        const out = new Map<string, { id: string; kind: string; revealed: boolean }>();
        for (const e of c.events) {
          if (e.name === 'item.upserted') out.set(e.data.item.id, e.data.item);
          if (e.name === 'items.revealed') for (const it of e.data.items) out.set(it.id, it);
        }
        return [...out.values()].filter((i) => i.kind === 'worry' && i.revealed);
      };
      if (what === 'join') {
        const info = await (await fetch(`/api/join/${s.code}`)).json();
        T.socks.coord = new T.Sock(s.meetingId, {});
        await T.socks.coord.ready;
        T.people = [];
        const names = ['Jan', 'Sanne', 'Els', 'Petra', 'Ahmed', 'Ria', 'Tom', 'Noor'];
        for (const [i, p] of info.parties.entries()) {
          const r = await fetch(`/api/join/${s.code}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: names[i], partyId: p.id, newPerson: true }) });
          const j = await r.json();
          const sock = new T.Sock(s.meetingId, { token: j.token });
          await sock.ready;
          T.people.push(sock);
        }
        await T.socks.coord.send('lobby.admitAll');
      } else if (what === 'worries') {
        await c.send('phase.set', { phase: 'worries' });
        const texts = [long, 'Er is te weinig geld voor eten', 'De huur is al drie maanden niet betaald', 'Kim gaat vaak niet naar school',
          'Moeder is vaak moe en somber', 'Vader drinkt te veel in het weekend', 'De kinderen zien hun opa niet meer', 'Er is niemand die helpt met papieren'];
        for (const [i, p] of T.people.entries()) await p.send('worry.add', { text: texts[i] });
        await c.send('reveal', { kind: 'worry' });
      } else if (what === 'rank') {
        await c.send('phase.set', { phase: 'cluster' });
        await c.send('phase.set', { phase: 'rank' });
        const ids = items().map((i) => i.id);
        for (const [i, p] of T.people.entries()) {
          await p.send('ranking.set', { worryIds: [ids[i % ids.length], ids[(i + 1) % ids.length], ids[(i + 3) % ids.length]] });
        }
        await c.send('ranking.close');
      } else if (what === 'agree') {
        const result = c.events.filter((e: { name: string }) => e.name === 'ranking.result').pop();
        await c.send('phase.set', { phase: 'agree' });
        await c.send('agree.confirm', { worryIds: result.data.result.top3 });
        for (const p of T.people.slice(0, 2)) await p.send('agree.akkoord');
        await T.people[3].send('agree.dissent', { text: 'Wij vinden de huur belangrijker dan het geld voor eten, want zonder huis is er niets.' });
      } else if (what === 'plan') {
        const result = c.events.filter((e: { name: string }) => e.name === 'ranking.result').pop();
        const top3: string[] = result.data.result.top3;
        const info = await (await fetch(`/api/join/${s.code}`)).json();
        await c.send('phase.set', { phase: 'plan' });
        const goals = ['Vader en moeder praten rustig over geld, zonder dat de kinderen het horen', 'Er is elke dag genoeg te eten in huis', goal3];
        for (const [i, w] of top3.entries()) {
          await c.send('plan.goal.set', { worryId: w, goal: goals[i], scoreNow: 3 + i });
          for (let a = 0; a < 2; a++) {
            await c.send('plan.action.add', { worryId: w, what: `Actie ${a + 1} voor zorg ${i + 1}: een gesprek met de schuldhulp en een afspraak bij de huisarts`, ownerPartyId: info.parties[(i + a) % 8].id, due: '2027-01-15' });
          }
        }
        await c.send('plan.details.set', { regisseurPartyId: info.parties[3].id, regisseurRole: 'Wijkcoach Femke', nextEvaluation: '2027-03-04' });
      }
    },
    { s, what, long, goal3 },
  );
}

interface Fit {
  page: number;
  pages: number;
  cut: string[];
  breaks: string;
  shown: string[];
  scrollW: number;
  scrollH: number;
}

// One look at the screen as it is now: which page, what is cut, which text is shown.
async function look(screen: Page): Promise<Fit> {
  return screen.evaluate(async () => {
    // The pager measures in an animation frame after a change: let it.
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const clip = document.querySelector<HTMLElement>('[data-testid=screen-page]');
    const c = clip ? clip.getBoundingClientRect() : new DOMRect(0, 0, innerWidth, innerHeight);
    const vw = innerWidth;
    const vh = innerHeight;
    const cut: string[] = [];
    const shown: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.screen *')) {
      if (el.offsetParent === null || el.children.length > 0 && !el.matches('li, p, h1, h2, h3, h4')) continue;
      const text = (el.textContent ?? '').trim();
      if (!text) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const inMain = clip?.contains(el);
      const label = `${el.tagName.toLowerCase()} "${text.slice(0, 40)}" ${Math.round(r.top)}..${Math.round(r.bottom)} x ${Math.round(r.left)}..${Math.round(r.right)}`;
      if (r.left < -0.5 || r.right > vw + 0.5) cut.push(`beside: ${label}`);
      if (inMain) {
        const inside = r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5;
        const outside = r.bottom <= c.top + 0.5 || r.top >= c.bottom - 0.5;
        if (!inside && !outside) cut.push(`half: ${label}`);
        if (inside && c.bottom <= vh + 0.5) shown.push(text);
        if (inside && c.bottom > vh + 0.5) cut.push(`below: ${label}`);
      } else {
        if (r.top < -0.5 || r.bottom > vh + 0.5) cut.push(`outside: ${label}`);
        else shown.push(text);
      }
    }
    return {
      breaks: clip?.dataset.breaks ?? "", page: Number(clip?.dataset.page ?? 1), pages: Number(clip?.dataset.pages ?? 1), cut, shown,
      scrollW: document.documentElement.scrollWidth, scrollH: document.documentElement.scrollHeight,
    };
  });
}

// Pages through the screen (the arrow key, as the coordinator would) until every
// page was seen; asserts no page cuts anything and returns all text shown.
async function everyPage(screen: Page, shot: string): Promise<string> {
  const seen = new Map<number, Fit>();
  for (let i = 0; i < 40; i++) {
    const fit = await look(screen);
    if (!seen.has(fit.page)) {
      seen.set(fit.page, fit);
      await screen.screenshot({ path: `${resultsDir}${shot}-${fit.page}.png` });
    }
    expect(fit.cut, `cut off on page ${fit.page} of ${fit.pages} (${shot}, breaks ${fit.breaks})`).toEqual([]);
    const size = screen.viewportSize();
    expect([fit.scrollW, fit.scrollH]).toEqual([size?.width, size?.height]);
    if (seen.size >= fit.pages) break;
    await screen.keyboard.press('ArrowRight');
  }
  const pages = [...seen.values()][0]?.pages ?? 1;
  expect(seen.size, `pages seen (${shot})`).toBe(pages);
  return [...seen.values()].flatMap((f) => f.shown).join('\n');
}

test('the shared screen fits 1920x1080 and 1280x720 in every phase', async ({ browser }) => {
  mkdirSync(resultsDir, { recursive: true });
  const coordCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1280, height: 900 } });
  const coord = await coordCtx.newPage();
  await coord.goto('/');
  await coord.getByLabel('E-mailadres').fill(process.env.TAFEL_E2E_EMAIL ?? '');
  await coord.getByLabel('Wachtwoord').fill(process.env.TAFEL_E2E_PASSWORD ?? '');
  await coord.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(coord.getByLabel('Naam van het gezin')).toBeVisible();
  await installClient(coord);
  const s = await createMeeting(coord);
  await step(coord, s, 'join');

  const screenCtx = await browser.newContext({ baseURL: base(), viewport: { width: 1920, height: 1080 }, storageState: await coordCtx.storageState(), locale: 'nl-NL' });
  const screen = await screenCtx.newPage();
  await screen.goto(`/screen/${encodeURIComponent(s.meetingId)}`);
  await expect(screen.getByTestId('join-code')).toHaveText(s.code);
  await expect(screen.getByTestId('at-table')).toContainText('Noor');

  const sizes = [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ];
  const check = async (phase: string, wanted: string[]) => {
    for (const size of sizes) {
      await screen.setViewportSize(size);
      const shown = await everyPage(screen, `screen-${phase}-${size.width}x${size.height}`);
      for (const w of wanted) expect(shown, `${phase} at ${size.width}x${size.height} shows "${w.slice(0, 30)}"`).toContain(w);
      if (size.height === 1080) {
        // Body text readable at five metres: 36 px or more, everywhere in the page.
        const sizesPx = await screen.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('main p, main li, main h2, main h3, main h4, main td')]
            .filter((el) => el.offsetParent !== null && (el.textContent ?? '').trim() !== '')
            .map((el) => parseFloat(getComputedStyle(el).fontSize)),
        );
        expect(sizesPx.length).toBeGreaterThan(0);
        expect(Math.min(...sizesPx), `smallest body text in ${phase}`).toBeGreaterThanOrEqual(36);
      }
    }
  };

  await check('lobby', parties.map((p) => p.name).concat(['Noor']));
  await step(coord, s, 'worries');
  await expect(screen.getByTestId('table-items')).toContainText(long.slice(0, 40));
  await check('worries', [long, 'Er is niemand die helpt met papieren']);
  await step(coord, s, 'rank');
  await expect(screen.getByTestId('ranking')).toBeVisible();
  await check('rank', [long.slice(0, 60)]);
  await step(coord, s, 'agree');
  await expect(screen.getByTestId('agreed-top3')).toBeVisible();
  await expect(screen.getByText('Wij vinden de huur belangrijker', { exact: false })).toHaveCount(1);
  await check('agree', ['Wij vinden de huur belangrijker']);
  await step(coord, s, 'plan');
  await expect(screen.getByTestId('plan')).toContainText('4 maart 2027');
  await check('plan', [goal3, 'Wijkcoach Femke', '4 maart 2027', long.slice(0, 60)]);
});
