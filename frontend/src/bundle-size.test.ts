// The phone view must stay small for old phones on poor connections: the entry
// chunk, the phone chunk and everything they import statically (JS and CSS),
// gzipped, at most 80 KB. Reads the build output in frontend/dist, running the
// same build as `npm run build` first when there is none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const dist = join(__dirname, '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
const LIMIT = 80 * 1024;
const PHONE = 'src/lib/components/phone/PhoneApp.svelte';

interface Chunk {
  file: string;
  imports?: string[];
  css?: string[];
}

/** Files the browser must load for a chunk: itself, its CSS, its static imports (not dynamic ones). */
function staticClosure(manifest: Record<string, Chunk>, roots: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`chunk ${key} not in manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  roots.forEach(visit);
  return files;
}

describe('phone bundle', () => {
  beforeAll(async () => {
    if (existsSync(manifestPath)) return;
    const { build } = await import('vite');
    // Vitest runs with NODE_ENV=test, which would give Svelte's dev build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(__dirname, '..', 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = env;
    }
  }, 120_000);

  it('is at most 80 KB gzipped (JS + CSS)', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE]);
    let total = 0;
    for (const f of files) total += gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
    console.log(`phone bundle: ${(total / 1024).toFixed(1)} KB gzipped in ${files.size} files: ${[...files].join(', ')}`);
    expect(total).toBeLessThanOrEqual(LIMIT);
  });

  it('does not load the console or screen code', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE]);
    const console = manifest['src/lib/components/console/ConsoleApp.svelte']?.file;
    const screen = manifest['src/lib/components/screen/ScreenApp.svelte']?.file;
    expect(console && files.has(console)).toBeFalsy();
    expect(screen && files.has(screen)).toBeFalsy();
  });
});
