import { defineConfig } from '@playwright/test';

import base from './playwright.config';

// Benchmarks, not tests: run by `scripts/bench-render.sh`, never by CI. Same server set-up and browsers
// as the end-to-end tests; one worker, so that nothing else competes for the cores while timing.
export default defineConfig({
  ...base,
  testDir: 'bench',
  testMatch: '*.bench.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 300_000,
  reporter: [['list']],
});
