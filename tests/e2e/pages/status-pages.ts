import type { Locator, Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** What any unknown path of the app shows. */
export class NotFoundPage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly goHome: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.not_found_title, exact: true });
    this.goHome = page.getByRole('link', { name: t.go_home, exact: true });
  }
}

/** Shown instead of the app when its backend does not answer. */
export class UnreachablePage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly text: Locator;
  readonly tryAgain: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.unreachable_title, exact: true });
    this.text = page.getByText(t.unreachable_text, { exact: true });
    this.tryAgain = page.getByRole('button', { name: t.try_again, exact: true });
  }
}
