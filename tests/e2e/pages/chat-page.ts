import { expect, type Locator, type Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/chats/:id`: one chat's timeline. */
export class ChatPage {
  readonly appBar: AppBar;
  readonly timeline: Locator;
  readonly empty: Locator;
  readonly readOnlyNote: Locator;
  readonly backLink: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.timeline = page.getByRole('region', { name: t.messages_label, exact: true });
    this.empty = page.getByText(t.no_messages_title, { exact: true });
    this.readOnlyNote = page.getByText(t.channel_read_only, { exact: true });
    this.backLink = page.getByRole('link', { name: t.back_to_chats, exact: true });
  }

  heading(title: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: title, exact: true });
  }

  /** The chat is open: its title, and either its messages or the empty state. */
  async expectOpen(title: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/chats\/\d+$/);
    await expect(this.heading(title)).toBeVisible();
    await expect(this.timeline.or(this.empty)).toBeVisible();
  }
}
