// Setting people up through the API instead of the screens other tests already cover: sign-up and
// joining take a second here instead of twenty. `page.request` shares the browser context's cookies,
// so the person is then signed in in that browser.
import type { APIResponse, Page } from '@playwright/test';

import type { Profile } from '../pages/profile-page';
import type { Phone } from './phones';

const CSRF = { 'x-parta-csrf': '1' };

async function ok(response: APIResponse, what: string): Promise<APIResponse> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return response;
}

/** Signs `phone` in within `page`'s browser and fills in the profile. */
export async function signUpByApi(page: Page, phone: Phone, profile: Profile): Promise<number> {
  await ok(await page.request.post('/api/v1/auth/code', { headers: CSRF, data: { phone: phone.e164 } }), 'code');
  const outbox = await ok(await page.request.get('/api/v1/dev/outbox', { params: { phone: phone.e164 } }), 'outbox');
  const { code } = (await outbox.json()) as { code: string };
  await ok(await page.request.post('/api/v1/auth/session', { headers: CSRF, data: { phone: phone.e164, code } }), 'sign-in');
  const me = await ok(
    await page.request.put('/api/v1/me/profile', {
      headers: CSRF,
      data: { first_name: profile.firstName, last_name: profile.lastName, birth_date: profile.birthDate },
    }),
    'profile',
  );
  return ((await me.json()) as { user: { id: number } }).user.id;
}

export type Target = { kind: 'school' } | { kind: 'class'; class_id: number };

/** An invite made by the person signed in within `page` (an administrator); returns its token. */
export async function inviteByApi(page: Page, schoolId: string, target: Target, role: string): Promise<string> {
  const response = await ok(
    await page.request.post(`/api/v1/schools/${schoolId}/invites`, {
      headers: CSRF,
      data: { target, role, expiry: { kind: 'never' }, requires_approval: false },
    }),
    'invite',
  );
  return ((await response.json()) as { token: string }).token;
}

export async function joinByApi(page: Page, token: string): Promise<void> {
  await ok(await page.request.post(`/api/v1/join/${token}`, { headers: CSRF, data: {} }), 'join');
}

/** The id of the chat titled `title` among the chats of the person signed in within `page`. */
export async function chatIdByApi(page: Page, title: string): Promise<number> {
  const response = await ok(await page.request.get('/api/v1/chats'), 'chats');
  const chats = (await response.json()) as { id: number; title: string }[];
  const chat = chats.find((c) => c.title === title);
  if (!chat) throw new Error(`no chat «${title}» among ${chats.map((c) => c.title).join(', ')}`);
  return chat.id;
}

/** Renames a chat, as its manager signed in within `page`. */
export async function renameChatByApi(page: Page, chatId: number, title: string): Promise<void> {
  await ok(await page.request.patch(`/api/v1/chats/${chatId}`, { headers: CSRF, data: { title } }), 'rename');
}

/** The messages of a chat as the server has them (the latest 100), oldest first. */
type ServerMessage = { id: number; kind: 'text' | 'system'; text: string; client_id: string | null };

export async function messagesByApi(page: Page, chatId: number): Promise<ServerMessage[]> {
  const response = await ok(await page.request.get(`/api/v1/chats/${chatId}/messages`, { params: { limit: 100 } }), 'messages');
  return ((await response.json()) as { messages: ServerMessage[] }).messages;
}
