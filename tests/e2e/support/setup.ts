// The people most chat tests start from, set up through the API (joining has its own tests).
import type { Page } from '@playwright/test';

import type { Profile, test } from '../fixtures';
import { chatIdByApi, inviteByApi, joinByApi, signUpByApi } from './api';
import { parentsChat } from './school';

export const ADMIN: Profile = { firstName: 'Ирина', lastName: 'Соколова', birthDate: '1975-05-20' };
export const TEACHER: Profile = { firstName: 'Анна', lastName: 'Петрова', birthDate: '1986-11-02' };
export const PARENT: Profile = { firstName: 'Олег', lastName: 'Смирнов', birthDate: '1984-07-30' };
export const SECOND_PARENT: Profile = { firstName: 'Вера', lastName: 'Иванова', birthDate: '1988-03-14' };

export const nameOf = (person: Profile) => `${person.firstName} ${person.lastName}`;

export type Setup = Pick<
  Parameters<Parameters<typeof test>[2]>[0],
  'page' | 'createSchool' | 'addClass' | 'newPhone' | 'openBrowser'
>;

/**
 * A school with class `className`: its administrator in a browser of their own, its teacher signed in
 * on `page`, and each of `parents` in a browser of their own, in the class's parents' chat.
 */
export async function parentsChatOf(
  { page, createSchool, addClass, newPhone, openBrowser }: Setup,
  schoolName: string,
  className: string,
  parents: Profile[] = [PARENT],
) {
  const school = await createSchool(schoolName);
  const classId = Number(await addClass(school.id, className));
  const admin = await openBrowser();
  await signUpByApi(admin, school.admin, ADMIN);
  const invite = (role: string) => inviteByApi(admin, school.id, { kind: 'class', class_id: classId }, role);
  await signUpByApi(page, newPhone(), TEACHER);
  await joinByApi(page, await invite('teacher'));
  const parentPages: Page[] = [];
  for (const parent of parents) {
    const parentPage = await openBrowser();
    await signUpByApi(parentPage, newPhone(), parent);
    await joinByApi(parentPage, await invite('parent'));
    parentPages.push(parentPage);
  }
  const chatId = await chatIdByApi(page, parentsChat(className));
  return { school, admin, chatId, parentPages };
}
