// Issue 3, the young student: a primary-school child without a phone signs up by a parent's e-mail
// from the class teacher's link, joins the class, and reads but cannot write until the parent, from
// the link in their e-mail and in a browser of their own, confirms the child.
import { expect, expectNoA11yViolations, test, type Profile } from '../fixtures';
import { ChildBanner, ConfirmChildPage } from '../pages/confirm-child-page';
import { AdminPage } from '../pages/admin-page';
import { Person } from '../pages/person';
import { chatIdByApi, inviteByApi, joinByApi, signUpByApi } from '../support/api';
import { fill } from '../support/i18n';

const CLASS = '2Б';

const adminProfile: Profile = { firstName: 'Ирина', lastName: 'Павлова', birthDate: '1979-01-20' };
const teacherProfile: Profile = { firstName: 'Наталья', lastName: 'Орлова', birthDate: '1986-06-11' };
const childProfile: Profile = { firstName: 'Петя', lastName: 'Иванов', birthDate: '2018-03-01' };

type Outbox = { code: string; confirmation_link?: string };

test('a young student signs up by a parent\'s e-mail, reads until the parent confirms, then writes', async ({
  page,
  t,
  baseURL,
  createSchool,
  addClass,
  newPhone,
  openBrowser,
}, testInfo) => {
  // A sibling's code at the end must wait out the address's one-minute resend timer.
  test.setTimeout(150_000);
  const school = await createSchool('Школа № 41 (младшие школьники)');
  const classId = Number(await addClass(school.id, CLASS));
  // One address per test and project: its codes and resend timer are its own.
  const email = `mama.${testInfo.project.name}.${testInfo.workerIndex}.${Date.now()}@mail.ru`;
  const masked = `m•••@mail.ru`;
  const outbox = async (): Promise<Outbox> => {
    const response = await page.request.get('/api/v1/dev/outbox', { params: { email } });
    expect(response.ok(), await response.text()).toBe(true);
    return (await response.json()) as Outbox;
  };
  const child = new Person(page, t);
  const banner = new ChildBanner(page, t);
  let link: string;
  let codeSentAt = 0;
  let admin: Awaited<ReturnType<typeof openBrowser>>;

  await test.step(`the class teacher of ${CLASS} makes a link for students`, async () => {
    admin = await openBrowser();
    await signUpByApi(admin, school.admin, adminProfile);
    const teacherInvite = await inviteByApi(admin, school.id, { kind: 'class', class_id: classId }, 'teacher');
    const teacher = await openBrowser();
    await signUpByApi(teacher, newPhone(), teacherProfile);
    await joinByApi(teacher, teacherInvite);
    link = `${baseURL}/join/${await inviteByApi(teacher, school.id, { kind: 'class', class_id: classId }, 'student')}`;
  });

  await test.step('signed out, the child takes the e-mail way from the link', async () => {
    await child.join.goto(link);
    await child.join.expectInvite(CLASS, school.name);
    await child.join.signInButton.click();
    await child.signIn.expectPhoneStep();
    await child.signIn.chooseEmail();
    await expect(page.getByText(t.sign_in_by_email_lead, { exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'sign-in by a parent\'s e-mail');
  });

  await test.step('a mistyped address is said so, and nothing typed is lost', async () => {
    await child.signIn.email.fill('mama.mail.ru');
    await child.signIn.getCodeButton.click();
    await expect(child.signIn.emailError).toHaveText(t.error_invalid_email);
    await expect(child.signIn.email).toHaveValue('mama.mail.ru');
    await expectNoA11yViolations(page, 'sign-in by e-mail: a wrong address');
  });

  await test.step('the code comes to the parent\'s e-mail; the child makes their profile and joins', async () => {
    await child.signIn.requestEmailCode(email);
    codeSentAt = Date.now();
    await expectNoA11yViolations(page, 'sign-in by e-mail: code step');
    await child.signIn.submitCode((await outbox()).code);
    await child.profile.expectShown();
    await expectNoA11yViolations(page, 'young student\'s profile');
    await child.profile.submit(childProfile);
    await child.chat.expectOpen(CLASS);
  });

  await test.step('until the parent confirms, the child reads and is told how to lift the limit', async () => {
    await expect(banner.says(masked)).toBeVisible();
    await expect(banner.resendButton).toBeVisible();
    await expect(child.chat.composer).toHaveCount(0);
    await expect(page.getByText(t.error_child_not_confirmed, { exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'chat of a young student not confirmed');
    await child.home.goto();
    await expect(banner.says(masked)).toBeVisible();
    // Starting a chat is writing too: not offered until the parent confirms.
    await expect(page.getByRole('link', { name: t.new_chat_link, exact: true })).toHaveCount(0);
    await expectNoA11yViolations(page, 'home of a young student not confirmed');
  });

  await test.step('the administrator sees on the child\'s card that the parent has not confirmed yet', async () => {
    const people = new AdminPage(admin, t);
    await admin.goto(`/schools/${school.id}/admin/people`);
    await people.person(`${childProfile.firstName} ${childProfile.lastName}`).click();
    await expect(admin.getByText(fill(t.person_young_waiting, { email: masked }), { exact: true })).toBeVisible();
    await expectNoA11yViolations(admin, 'card of a young student not confirmed');
  });

  await test.step('the parent opens the link from the e-mail in a browser of their own and confirms', async () => {
    const confirmation = (await outbox()).confirmation_link;
    expect(confirmation).toMatch(new RegExp(`^${baseURL}/confirm-child/[A-Za-z0-9_-]{32}$`));
    const parent = new ConfirmChildPage(await openBrowser(), t);
    await parent.page.goto(confirmation!);
    await parent.expectShown();
    await expect(parent.detail(t.confirm_child_name)).toHaveText(`${childProfile.firstName} ${childProfile.lastName}`);
    await expect(parent.detail(t.confirm_child_schools)).toHaveText(`${school.name}, ${CLASS}`);
    await expectNoA11yViolations(parent.page, 'confirming a child');
    await parent.confirmButton.click();
    await expect(parent.confirmed).toBeVisible();
    await expectNoA11yViolations(parent.page, 'child confirmed');
  });

  await test.step('the child\'s limits lift at once, and the child writes to the class', async () => {
    await expect(banner.region).toHaveCount(0);
    await expect(page.getByRole('link', { name: t.new_chat_link, exact: true })).toBeVisible();
    await child.chat.goto(await chatIdByApi(page, CLASS));
    await child.chat.expectOpen(CLASS);
    await child.chat.send('Здравствуйте! Это Петя.');
    await expect(child.chat.message('Здравствуйте! Это Петя.')).toBeVisible();
    await expectNoA11yViolations(page, 'chat of a confirmed young student');
  });

  await test.step('a younger sibling signs up with the same address: «Кто входит?» offers Петя or a new profile', async () => {
    await child.home.goto();
    await child.home.appBar.signOut();
    await child.signIn.expectPhoneStep();
    await page.waitForTimeout(Math.max(0, 61_000 - (Date.now() - codeSentAt)));
    await child.signIn.chooseEmail();
    await child.signIn.requestEmailCode(email);
    await child.signIn.submitCode((await outbox()).code);
    await expect(child.signIn.whoHeading).toBeVisible();
    const petya = page.getByRole('button', { name: `${childProfile.firstName} ${childProfile.lastName}`, exact: true });
    await expect(petya).toBeVisible();
    await expectNoA11yViolations(page, '«Кто входит?»');
    await page.getByRole('button', { name: t.new_profile, exact: true }).click();
    await child.profile.expectShown();
    await child.profile.submit({ firstName: 'Маша', lastName: 'Иванова', birthDate: '2019-05-05' });
    await child.home.expectShown();
    // Her parent has not confirmed her yet.
    await expect(banner.says(masked)).toBeVisible();
  });

  await test.step('the parent answers Маша\'s e-mail «это не мой ребёнок»: her banner says so at once', async () => {
    const parent = new ConfirmChildPage(await openBrowser(), t);
    await parent.page.goto((await outbox()).confirmation_link!);
    await parent.expectShown();
    await parent.declineButton.click();
    await expect(parent.page.getByText(t.confirm_child_declined, { exact: true })).toBeVisible();
    await expect(banner.saysDeclined(masked)).toBeVisible();
    await expect(banner.resendButton).toBeVisible();
    await expectNoA11yViolations(page, 'a young student whose parent declined');
  });
});
