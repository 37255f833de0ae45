import { expect, type Locator, type Page } from '@playwright/test';

import { fill, type Strings } from '../support/i18n';

/** `/schools/:id/chats/new`: write to someone safe mode allows, or (staff) make a group. */
export class NewChatPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly people: Locator;
  readonly noMatch: Locator;
  readonly groupTitle: Locator;
  readonly groupTitleError: Locator;
  readonly createButton: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.heading = page.getByRole('heading', { level: 1, name: t.new_chat_title, exact: true });
    this.search = page.getByLabel(t.people_search, { exact: true });
    this.people = page.getByRole('region', { name: t.write_to_title, exact: true }).getByRole('button');
    this.noMatch = page.getByText(t.people_no_match, { exact: true });
    this.groupTitle = page.getByLabel(t.chat_title_field, { exact: true });
    this.groupTitleError = page.getByText(t.chat_title_required, { exact: true });
    this.createButton = page.getByRole('button', { name: t.create_chat, exact: true });
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/schools\/\d+\/chats\/new$/);
    await expect(this.heading).toBeVisible();
  }

  /** The button that opens the 1:1 with this person. */
  person(name: string): Locator {
    return this.page.getByRole('button', { name: fill(this.t.write_to, { name }), exact: true });
  }

  /** One of the radio buttons of the new group form, e.g. `t.posting_managers`. */
  choice(label: string): Locator {
    return this.page.getByRole('radio', { name: label, exact: true });
  }
}

/** `/chats/:id/info`: who can read the chat; its settings and members for its managers. */
export class ChatInfoPage {
  readonly heading: Locator;
  readonly members: Locator;
  readonly backToChat: Locator;
  readonly title: Locator;
  readonly saveButton: Locator;
  readonly saved: Locator;
  readonly addSearch: Locator;
  readonly leaveButton: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.members = page.getByRole('region', { name: new RegExp(`^${t.members_title}`) }).getByRole('listitem');
    this.backToChat = page.getByRole('link', { name: `← ${t.back_to_chat}`, exact: true });
    this.title = page.getByLabel(t.chat_title_field, { exact: true });
    this.saveButton = page.getByRole('button', { name: t.chat_save, exact: true });
    this.saved = page.getByText(t.chat_saved, { exact: true });
    this.addSearch = page.getByLabel(t.people_search, { exact: true });
    this.leaveButton = page.getByRole('button', { name: t.leave_chat, exact: true });
  }

  async goto(chatId: number): Promise<void> {
    await this.page.goto(`/chats/${chatId}/info`);
  }

  async expectShown(title: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/chats\/\d+\/info$/);
    await expect(this.heading).toHaveText(title);
  }

  member(name: string): Locator {
    return this.members.filter({ hasText: name });
  }

  /** The checkbox that picks a person to add. */
  candidate(name: string): Locator {
    return this.page.getByRole('checkbox', { name: new RegExp(name) });
  }

  addButton(n: number): Locator {
    return this.page.getByRole('button', { name: fill(this.t.add_members_button, { n: String(n) }), exact: true });
  }

  added(n: number): Locator {
    return this.page.getByText(fill(this.t.members_added, { n: String(n) }), { exact: true });
  }

  removeButton(name: string): Locator {
    return this.page.getByRole('button', { name: fill(this.t.remove_member_label, { name }), exact: true });
  }

  choice(label: string): Locator {
    return this.page.getByRole('radio', { name: label, exact: true });
  }
}
