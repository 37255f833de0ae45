import type { Locator, Page } from '@playwright/test';

import { strings, type Lang, type Strings } from '../support/i18n';

/** The bar at the top of every screen: brand, language switch, and (signed in) the sign-out button. */
export class AppBar {
  readonly root: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.root = page.getByRole('banner');
    this.signOutButton = this.root.getByRole('button', { name: t.sign_out, exact: true });
  }

  /** The switch names the other language in that language («English» while in Russian). */
  languageSwitchTo(lang: Lang): Locator {
    return this.root.getByRole('button', { name: strings[lang].language_name, exact: true });
  }

  async switchLanguage(lang: Lang): Promise<void> {
    await this.languageSwitchTo(lang).click();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}
