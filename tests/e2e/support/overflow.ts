// Nothing on a screen may stick out sideways: issue 12 found the administrator's tab bar cut at
// 1366 px, a statistics label past its card and a phone showing four of nine tabs. This walks every
// element of the page as drawn now.
import { expect, test, type Page } from '@playwright/test';

/** One element that does not fit, described so that the failure says where to look. */
type Overflow = { element: string; text: string; why: string };

/**
 * Fails if any visible element's content is wider than its box (`scrollWidth > clientWidth`), unless
 * it is meant to clip (an ellipsis, a visually hidden label, a text field), or if any element's box reaches past
 * the viewport's left or right edge. Nothing on these screens is meant to scroll sideways.
 */
export async function expectNoHorizontalOverflow(page: Page, screenName: string): Promise<void> {
  await test.step(`no horizontal overflow: ${screenName}`, async () => {
    const problems: Overflow[] = await page.evaluate(() => {
      const viewport = document.documentElement.clientWidth;
      const describe = (el: Element) => {
        const classes = [...el.classList].filter((c) => !c.startsWith('l-')).join('.');
        const id = el.id ? `#${el.id}` : '';
        return `${el.tagName.toLowerCase()}${id}${classes ? `.${classes}` : ''}`;
      };
      const hidden = (el: HTMLElement) => {
        for (let node: HTMLElement | null = el; node; node = node.parentElement) {
          const style = getComputedStyle(node);
          if (style.display === 'none' || style.visibility === 'hidden') return true;
          // A visually hidden label for screen readers: clipped to nothing on purpose.
          if (style.position === 'absolute' && node.offsetWidth <= 1 && node.offsetHeight <= 1) return true;
        }
        return false;
      };
      const found: { element: string; text: string; why: string }[] = [];
      for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
        if (!(el instanceof HTMLElement) || hidden(el)) continue;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        const text = (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 60);
        // An ellipsis clips on purpose; a text field scrolls what is typed in it by nature.
        const clips = style.textOverflow === 'ellipsis' || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
        if (!clips && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
          found.push({ element: describe(el), text, why: `content ${el.scrollWidth}px wide in a ${el.clientWidth}px box` });
        }
        if (rect.right > viewport + 1 || rect.left < -1) {
          found.push({
            element: describe(el),
            text,
            why: `box from ${Math.round(rect.left)} to ${Math.round(rect.right)}px, viewport ${viewport}px`,
          });
        }
      }
      return found;
    });
    expect(
      problems,
      `elements wider than their box or the viewport on "${screenName}":\n${problems
        .map((p) => `  ${p.element} «${p.text}»: ${p.why}`)
        .join('\n')}`,
    ).toEqual([]);
  });
}
