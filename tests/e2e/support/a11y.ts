import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** WCAG 2.1 A and AA: the level schools in Russia and the EU are held to. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function describe(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${v.id} (${v.impact ?? 'impact unknown'}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe on the page as it is now and fails on any WCAG 2.1 A/AA violation, listing each rule with
 * the selectors of the offending elements. Call it after a web-first assertion has shown the screen.
 */
export async function expectNoA11yViolations(page: Page, screenName: string): Promise<void> {
  await test.step(`axe: ${screenName}`, async () => {
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    if (results.violations.length > 0) {
      await test.info().attach(`axe-${screenName}`, {
        body: JSON.stringify(results.violations, null, 2),
        contentType: 'application/json',
      });
    }
    expect(
      results.violations.map((v) => v.id),
      `accessibility violations on "${screenName}":\n${describe(results.violations)}`,
    ).toEqual([]);
  });
}
