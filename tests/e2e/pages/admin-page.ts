import { expect, type Locator, type Page } from '@playwright/test';

import { fill, type Strings } from '../support/i18n';

/** `/schools/:id/admin/…`: the administrator's pages, reached through their navigation. */
export class AdminPage {
  readonly nav: Locator;
  /** On a phone, the navigation folds to the current section behind this button. */
  readonly sectionsToggle: Locator;
  readonly checklist: Locator;
  readonly checklistDone: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.nav = page.getByRole('navigation', { name: t.admin_title, exact: true });
    this.sectionsToggle = this.nav.getByRole('button');
    this.checklist = page.getByRole('region', { name: t.checklist_title, exact: true });
    this.checklistDone = page.getByText(t.checklist_all_done, { exact: true });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  /** A section's link in the navigation, unfolded first where it is folded (a phone). */
  async link(section: string): Promise<Locator> {
    const link = this.nav.getByRole('link', { name: new RegExp(`^${section}`) });
    if (!(await link.isVisible()) && (await this.sectionsToggle.isVisible())) {
      await expect(this.sectionsToggle).toHaveAttribute('aria-expanded', 'false');
      await this.sectionsToggle.click();
    }
    await expect(link).toBeVisible();
    return link;
  }

  /** Opens one of the pages from the navigation and waits for its heading. */
  async open(tab: string, heading = tab): Promise<void> {
    await (await this.link(tab)).click();
    await expect(this.heading(heading)).toBeVisible();
  }

  async expectProgress(done: number, total = 7): Promise<void> {
    await expect(this.checklist.getByText(fill(this.t.checklist_progress, { n: String(done), total: String(total) }))).toBeVisible();
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** A class's card on «Классы». */
  classCard(name: string): Locator {
    return this.page.getByRole('listitem').filter({ has: this.page.getByRole('heading', { level: 3, name, exact: true }) });
  }

  /** A person's line on «Люди». */
  person(name: string): Locator {
    return this.page.getByRole('link', { name, exact: true });
  }

  /** Accepts the next confirmation the page asks for. */
  confirmNext(): void {
    this.page.once('dialog', (dialog) => void dialog.accept());
  }
}
