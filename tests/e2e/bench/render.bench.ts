// How long the app takes to draw a chat of 10,000 messages once its first page has arrived, and how
// long until the chat shows at all, on a phone and a 1366×768 desktop. Prints the figures; asserts only
// that the window stays small. Run: scripts/bench-render.sh
import { expect, test } from '../fixtures';
import { ChatPage } from '../pages/chat-page';
import { parentsChatOf } from '../support/setup';

const RUNS = 15;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

test('render a chat of 10,000 messages', async ({ page, t, createSchool, addClass, newPhone, openBrowser, fillChat }, info) => {
  const { chatId } = await parentsChatOf({ page, createSchool, addClass, newPhone, openBrowser }, 'Школа № 99 (замер)', '7Б');
  await fillChat(chatId, 10_000);
  // When the first message row appears, by the page's own clock.
  await page.addInitScript(() => {
    const w = window as unknown as { rowsAt?: number };
    new MutationObserver((_, observer) => {
      if (document.querySelector('li[data-id]')) {
        w.rowsAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const chat = new ChatPage(page, t);
  const afterPage: number[] = [];
  const fromStart: number[] = [];
  let rows = 0;
  for (let run = 0; run < RUNS; run++) {
    await chat.goto(chatId);
    await expect(chat.rows.first()).toBeVisible();
    const timing = await page.evaluate(() => {
      const page = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/messages?'))
        .map((e) => (e as PerformanceResourceTiming).responseEnd);
      return { arrived: Math.max(...page), drawn: (window as unknown as { rowsAt: number }).rowsAt };
    });
    rows = await chat.rows.count();
    afterPage.push(timing.drawn - timing.arrived);
    fromStart.push(timing.drawn);
  }
  expect(rows).toBeLessThanOrEqual(150);
  const line = (name: string, values: number[]) =>
    `${name}: p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
  console.log(
    [
      `[${info.project.name}] a chat of 10,000 messages, ${RUNS} opens, ${rows} rows drawn`,
      line('  first page arrived → rows drawn', afterPage),
      line('  navigation → rows drawn', fromStart),
    ].join('\n'),
  );
});
