import type { Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { ChatPage } from './chat-page';
import { HomePage } from './home-page';
import { InvitePage, InvitesPage, NewInvitePage } from './invites-page';
import { JoinPage } from './join-page';
import { ProfilePage } from './profile-page';
import { RequestsPage } from './requests-page';
import { SignInPage } from './sign-in-page';

/**
 * One person at their own browser (a page of its own context), with every screen's page object: for
 * tests where an administrator, a teacher and a parent act at the same time.
 */
export class Person {
  readonly signIn: SignInPage;
  readonly profile: ProfilePage;
  readonly home: HomePage;
  readonly chat: ChatPage;
  readonly invites: InvitesPage;
  readonly newInvite: NewInvitePage;
  readonly invite: InvitePage;
  readonly join: JoinPage;
  readonly requests: RequestsPage;

  constructor(readonly page: Page, readonly t: Strings) {
    this.signIn = new SignInPage(page, t);
    this.profile = new ProfilePage(page, t);
    this.home = new HomePage(page, t);
    this.chat = new ChatPage(page, t);
    this.invites = new InvitesPage(page, t);
    this.newInvite = new NewInvitePage(page, t);
    this.invite = new InvitePage(page, t);
    this.join = new JoinPage(page, t);
    this.requests = new RequestsPage(page, t);
  }
}
