import { expect, type Locator, type Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { escapeRegExp, fill } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/chats/:id`: one chat's timeline and composer. */
export class ChatPage {
  readonly appBar: AppBar;
  readonly timeline: Locator;
  readonly empty: Locator;
  readonly readOnlyNote: Locator;
  readonly backLink: Locator;
  readonly composer: Locator;
  readonly sendButton: Locator;
  readonly rows: Locator;
  readonly unreadLine: Locator;
  readonly jumpToEnd: Locator;
  readonly infoLink: Locator;
  readonly announcementsNote: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.timeline = page.getByRole('region', { name: t.messages_label, exact: true });
    this.empty = page.getByText(t.no_messages_title, { exact: true });
    this.readOnlyNote = page.getByText(t.channel_read_only, { exact: true });
    this.backLink = page.getByRole('link', { name: t.back_to_chats, exact: true });
    this.composer = page.getByRole('textbox', { name: t.message_label, exact: true });
    this.sendButton = page.getByRole('button', { name: t.send, exact: true });
    this.rows = this.timeline.locator('li[data-id]');
    this.unreadLine = this.timeline.getByText(t.new_messages, { exact: true });
    this.jumpToEnd = page.getByRole('button', { name: new RegExp(`^${t.jump_to_end}`) });
    this.infoLink = page.getByRole('link', { name: t.chat_info_link, exact: true });
    this.announcementsNote = page.getByText(t.chat_announcements_note, { exact: true });
  }

  async goto(chatId: number): Promise<void> {
    await this.page.goto(`/chats/${chatId}`);
  }

  heading(title: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: title, exact: true });
  }

  /** The bar above the chat titled `title`: back, avatar, title and the line under it, actions. */
  header(title: string): Locator {
    return this.heading(title).locator('xpath=ancestor::header[1]');
  }

  /** A system line of the timeline («… joined the chat»). */
  systemLine(text: string): Locator {
    return this.timeline.locator('li.system', { hasText: text });
  }

  /** The chat is open: its title and its timeline (which holds the empty state when there are no messages). */
  async expectOpen(title: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/chats\/\d+$/);
    await expect(this.heading(title)).toBeVisible();
    await expect(this.timeline).toBeVisible();
  }

  /** Types and sends: Enter on a computer, the button on a phone (where Enter breaks the line). */
  async send(text: string, how: 'enter' | 'button' = 'button'): Promise<void> {
    await this.composer.fill(text);
    if (how === 'enter') await this.composer.press('Enter');
    else await this.sendButton.click();
  }

  /** The sent message whose text contains `text`. */
  message(text: string): Locator {
    return this.rows.filter({ has: this.page.locator('.text', { hasText: text }) });
  }

  /** A composer tool (attach, a poll, «Ознакомлен»…), shown first: on a phone they fold behind «＋». */
  async tool(name: string): Promise<Locator> {
    const tool = this.page.getByRole('button', { name, exact: true });
    await expect(this.composer).toBeVisible();
    if (!(await tool.isVisible())) await this.page.getByRole('button', { name: this.t.composer_more, exact: true }).click();
    await expect(tool).toBeVisible();
    return tool;
  }

  /** The poll asking `question`. */
  poll(question: string): Locator {
    return this.rows.filter({ has: this.page.locator('.question', { hasText: question }) });
  }

  /** An answer of a poll: a radio button or a checkbox named by its text and share. */
  pollOption(question: string, answer: string): Locator {
    // The label holds the answer and its share («Четверг, 18:00 50 %»).
    return this.poll(question).getByLabel(new RegExp(`^${escapeRegExp(answer)}`));
  }

  /** An unconfirmed message of the outbox. */
  pending(text: string): Locator {
    return this.timeline.locator('li[data-client-id]').filter({ hasText: text });
  }

  /** Opens a message's actions menu. */
  async actions(message: Locator): Promise<Locator> {
    await message.getByRole('button', { name: this.t.message_actions, exact: true }).click();
    const menu = this.page.getByRole('menu', { name: this.t.message_actions, exact: true });
    await expect(menu).toBeVisible();
    return menu;
  }

  reaction(message: Locator, emoji: string, count: number): Locator {
    return message.getByRole('button', { name: fill(this.t.reaction_label, { emoji, n: String(count) }) });
  }
}
