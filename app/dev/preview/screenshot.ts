/**
 * Takes a PNG of every card state, in Japanese and English, with headless Chromium
 * (playwright-core), into app/dev/preview/screenshots/ for the README.
 *
 *   npx tsx app/dev/preview/screenshot.ts            # Chromium at /usr/bin/chromium
 *   CHROMIUM_PATH=/path/to/chrome npx tsx app/dev/preview/screenshot.ts
 *   npx tsx app/dev/preview/screenshot.ts settings-versions   # only the states named <card>-<id>
 *
 * It serves the preview router on a loopback port of its own, so nothing else
 * (database, HubSpot credentials) is needed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { chromium } from 'playwright-core';
import { createPreviewRouter } from './preview-router';
import { PREVIEW_STATES } from './preview-states';

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const app = express();
  app.use('/preview', createPreviewRouter());
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const profile = mkdtempSync(path.join(tmpdir(), 'tossup-chromium-'));
  // A fresh profile per run (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const written: string[] = [];
    const heights: string[] = [];
    const only = process.argv.slice(2);
    for (const state of PREVIEW_STATES.filter((st) => only.length === 0 || only.includes(`${st.card}-${st.id}`))) {
      for (const lang of ['ja', 'en'] as const) {
        await page.goto(`http://127.0.0.1:${port}/preview/${state.card}/${state.id}?lang=${lang}`, { waitUntil: 'load' });
        const file = path.join(OUT_DIR, `${state.card}-${state.id}-${lang}.png`);
        await page.locator('section.card').screenshot({ path: file });
        written.push(path.relative(process.cwd(), file));
        if (state.location === 'crm.record.sidebar') heights.push(`${state.card}-${state.id}-${lang}: ${await sidebarHeight(page)}`);
      }
    }
    process.stdout.write(`${written.length} screenshots:\n${written.join('\n')}\n`);
    if (heights.length > 0) process.stdout.write(`sidebar card height at 320 px (the card's own content, without the preview's state title):\n${heights.join('\n')}\n`);
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Height of what the card renders (section minus the preview's title line), and its width, in CSS px. */
async function sidebarHeight(page: import('playwright-core').Page): Promise<string> {
  const box = await page.locator('section.card').boundingBox();
  const title = await page.locator('section.card .card-title').boundingBox();
  if (!box) return 'not measured';
  const titleBlock = title ? title.y + title.height + 12 - box.y : 0;
  return `${Math.round(box.height - titleBlock)} px tall, ${Math.round(box.width)} px wide`;
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshot failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
