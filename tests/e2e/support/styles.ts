import { expect, test, type Page } from '@playwright/test';

/**
 * Component CSS is scoped by stylers: a rule `.logo.l-123` only applies to an element that carries
 * both classes. An element that has the component's class but not its scope class (a nested `view!`
 * without `class=…`) silently renders unstyled. This finds such elements on the page as it is now.
 * Soft: a test goes on to check the next screen and reports them all.
 */
export async function expectComponentStyles(page: Page, screenName: string): Promise<void> {
  await test.step(`component styles: ${screenName}`, async () => {
    const unstyled = await page.evaluate(() => {
      const isScope = (name: string) => /^l-?-?\d+$/.test(name);
      const scopesOf = new Map<string, Set<string>>();
      const global = new Set<string>();
      const visit = (rules: CSSRuleList) => {
        for (const rule of Array.from(rules)) {
          if (rule instanceof CSSStyleRule) {
            for (const compound of rule.selectorText.split(/[\s,>+~]+/)) {
              const classes = Array.from(compound.matchAll(/\.([\w-]+)/g), (m) => m[1]);
              const scopes = classes.filter(isScope);
              for (const name of classes.filter((c) => !isScope(c))) {
                if (scopes.length === 0) global.add(name);
                const known = scopesOf.get(name) ?? new Set<string>();
                scopes.forEach((s) => known.add(s));
                scopesOf.set(name, known);
              }
            }
          } else if ('cssRules' in rule) {
            visit((rule as CSSGroupingRule).cssRules);
          }
        }
      };
      for (const sheet of Array.from(document.styleSheets)) {
        try {
          visit(sheet.cssRules);
        } catch {
          // A stylesheet from another origin cannot be read (and Parta has none).
        }
      }
      const found = new Set<string>();
      for (const element of Array.from(document.querySelectorAll('[class]'))) {
        const classes = Array.from(element.classList);
        for (const name of classes) {
          const scopes = scopesOf.get(name);
          if (!scopes || scopes.size === 0 || global.has(name)) continue;
          if (!classes.some((c) => scopes.has(c))) {
            const rules = Array.from(scopes, (s) => `.${name}.${s}`).join(', ');
            found.add(`<${element.tagName.toLowerCase()} class="${element.getAttribute('class')}"> misses the scope of ${rules}`);
          }
        }
      }
      return [...found];
    });
    if (unstyled.length > 0) {
      await test.info().attach(`unstyled-${screenName}.png`, { body: await page.screenshot(), contentType: 'image/png' });
    }
    expect.soft(unstyled, `elements rendered without their component's styles on "${screenName}"`).toEqual([]);
  });
}
