// Lighthouse on Parta's first screens (see scripts/bench-lighthouse.sh, which starts the server): the
// mobile preset (a mid-range phone, slow 4G, 4× CPU slowdown, simulated), three runs of each page in
// Debian's Chromium, the median of each figure printed as a table. A benchmark, not a test.
//
// Usage: node bench.mjs <base url> <chromium path> <server binary> <data dir>
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [base, chromium, server, dataDir] = process.argv.slice(2);
const RUNS = 3;
const CSRF = { 'x-parta-csrf': '1', 'content-type': 'application/json' };

/** An invite link to open, as a parent would from a QR code: a school, its administrator, a link. */
async function inviteKey() {
  const phone = '+79000013013';
  const run = promisify(execFile);
  const { stdout } = await run(server, ['create-school', '--name', 'Школа замера', '--admin-phone', phone, '--data-dir', dataDir]);
  const school = stdout.trim();
  let cookie = '';
  const call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { ...CSRF, cookie },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || cookie;
    return response.json();
  };
  await call('POST', '/api/v1/auth/code', { phone });
  const { code } = await call('GET', `/api/v1/dev/outbox?phone=${encodeURIComponent(phone)}`);
  await call('POST', '/api/v1/auth/session', { phone, code });
  await call('PUT', '/api/v1/me/profile', { first_name: 'Анна', last_name: 'Замерова', birth_date: '1980-01-01' });
  const invite = await call('POST', `/api/v1/schools/${school}/invites`, {
    target: { kind: 'school' },
    role: 'teacher',
    expiry: { kind: 'never' },
    requires_approval: false,
  });
  return invite.token;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(url) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    // A new browser each time: a cold visit, nothing cached, no service worker.
    const chrome = await chromeLauncher.launch({
      chromePath: chromium,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const { lhr } = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      });
      const score = (id) => Math.round(lhr.categories[id].score * 100);
      const value = (id) => lhr.audits[id].numericValue;
      runs.push({
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        fcp: value('first-contentful-paint'),
        lcp: value('largest-contentful-paint'),
        tbt: value('total-blocking-time'),
        cls: value('cumulative-layout-shift'),
      });
      // What kept a category from 100, for whoever reads the figures.
      for (const [id, category] of Object.entries(lhr.categories)) {
        if (id === 'performance' || category.score === 1) continue;
        const failed = category.auditRefs
          .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
          .map((ref) => ref.id);
        console.error(`  ${url} run ${i + 1}: ${id} below 100: ${failed.join(', ')}`);
      }
    } finally {
      await chrome.kill();
    }
  }
  const figure = (key) => median(runs.map((run) => run[key]));
  return Object.fromEntries(Object.keys(runs[0]).map((key) => [key, figure(key)]));
}

const key = await inviteKey();
const pages = [
  ['/signin', `${base}/signin`],
  ['/join/<key>', `${base}/join/${key}`],
];
const rows = [];
for (const [name, url] of pages) rows.push([name, await measure(url)]);

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const { version } = JSON.parse(readFileSync(new URL('node_modules/lighthouse/package.json', import.meta.url), 'utf8'));
console.log(`\nLighthouse ${version}, mobile preset, median of ${RUNS} runs`);
console.log('| page | performance / accessibility / best practices | FCP | LCP | TBT | CLS |');
console.log('|---|---|---|---|---|---|');
for (const [name, m] of rows) {
  console.log(
    `| \`${name}\` | ${m.performance} / ${m.accessibility} / ${m.bestPractices} | ${seconds(m.fcp)} | ${seconds(m.lcp)} | ${Math.round(m.tbt)} ms | ${m.cls.toFixed(3)} |`,
  );
}
