// Issue 3, «Joining a school»: invite links and their QR codes, joining through them signed out, join
// requests decided live, the teachers' «учитель» status, and a child's link for their parent. Every
// test has several people at once, each in a browser of their own (`openBrowser`).
import { defaultProfile, expect, expectNoA11yViolations, test, type Phone, type Profile } from '../fixtures';
import type { NewInvite } from '../pages/invites-page';
import { Person } from '../pages/person';
import { fill } from '../support/i18n';
import { decodeQr } from '../support/qr';
import { parentsChat, STAFF_ROOM } from '../support/school';

const CLASS = '5А';

const teacherProfile: Profile = { firstName: 'Елена', lastName: 'Кузнецова', birthDate: '1983-09-03' };
const parentProfile: Profile = { firstName: 'Светлана', lastName: 'Лебедева', birthDate: '1987-02-08' };
const studentProfile: Profile = { firstName: 'Михаил', lastName: 'Лебедев', birthDate: '2014-03-17' };

/** How a person is named to others: «Имя Фамилия». */
const nameOf = (profile: Profile) => `${profile.firstName} ${profile.lastName}`;

type CodeFor = (phone: Phone) => Promise<string>;

type CreatedLink = { id: string; url: string; code: string };

/** Signs a new person up from an invite's page: the invite's sign-in button, the code, the profile. */
async function signUpFromInvite(person: Person, phone: Phone, profile: Profile, codeFor: CodeFor, axe = false) {
  await person.join.signInButton.click();
  await person.signIn.expectPhoneStep();
  await person.signIn.requestCode(phone.messy, phone);
  if (axe) await expectNoA11yViolations(person.page, 'sign-in from an invite: code step');
  await person.signIn.submitCode(await codeFor(phone));
  await person.profile.expectShown();
  if (axe) await expectNoA11yViolations(person.page, 'profile from an invite');
  await person.profile.submit(profile);
}

/** From home: «Приглашения» → «Создать ссылку» → the form → the new invite's page, read off it. */
async function createInvite(person: Person, schoolName: string, invite: NewInvite, axe = false): Promise<CreatedLink> {
  await person.home.goto();
  await person.home.invitesLink(schoolName).click();
  await person.invites.expectShown();
  if (axe) await expectNoA11yViolations(person.page, 'invites');
  await person.invites.createLink.click();
  await person.newInvite.expectShown();
  await person.newInvite.fillIn(invite);
  if (axe) await expectNoA11yViolations(person.page, 'new invite');
  await person.newInvite.createButton.click();
  const id = await person.invite.expectShown(invite.target, invite.role);
  await expect(person.invite.code).toHaveText(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  if (axe) await expectNoA11yViolations(person.page, 'invite');
  return { id, url: await person.invite.url(), code: await person.invite.shortCode() };
}

test('a teacher joins the staff room by the administrator\'s link and gets the «учитель» status confirmed', async ({
  page,
  t,
  baseURL,
  createSchool,
  signUp,
  codeFor,
  newPhone,
  openBrowser,
}) => {
  const school = await createSchool('Школа № 31 (учительская)');
  const admin = new Person(page, t);
  const teacher = new Person(await openBrowser(), t);
  // The second browser is the same device as the first: a phone stays a phone.
  expect(teacher.page.viewportSize()).toEqual(page.viewportSize());
  const teacherPhone = newPhone();
  let link: CreatedLink;

  await test.step('the administrator creates a staff link into «Учительская» with the teacher role', async () => {
    await signUp(school.admin);
    link = await createInvite(admin, school.name, { target: STAFF_ROOM, role: t.role_teacher }, true);
    expect(link.url).toMatch(new RegExp(`^${baseURL}/join/[A-Za-z0-9_-]{32}$`));
  });

  await test.step('signed out, the teacher sees what the link is for before anything is asked', async () => {
    await teacher.join.goto(link.url);
    await teacher.join.expectInvite(STAFF_ROOM, school.name);
    await expect(teacher.join.detail(t.join_role)).toHaveText(t.role_teacher);
    await expect(teacher.join.detail(t.join_invited_by)).toHaveText(nameOf(defaultProfile));
    await expect(teacher.join.signInButton).toBeVisible();
    await expectNoA11yViolations(teacher.page, 'join: signed out');
  });

  await test.step('signing up through the link lands the teacher in the «Учительская» chat', async () => {
    await signUpFromInvite(teacher, teacherPhone, teacherProfile, codeFor, true);
    await teacher.chat.expectOpen(STAFF_ROOM);
    await expectNoA11yViolations(teacher.page, 'chat after joining');
  });

  await test.step('the teacher asks for the «учитель» status on home', async () => {
    await teacher.home.goto();
    await expect(teacher.home.role(school.name, t.role_teacher)).toBeVisible();
    await expect(teacher.home.teacherStatus(school.name, t.teacher_status_unverified)).toBeVisible();
    // Teachers invite too: their way to invites and requests is there.
    await expect(teacher.home.invitesLink(school.name)).toBeVisible();
    await expectNoA11yViolations(teacher.page, 'home: teacher not verified');
    await teacher.home.requestVerificationButton(school.name).click();
    await expect(teacher.home.teacherStatus(school.name, t.teacher_status_pending)).toBeVisible();
    await expect(teacher.home.requestVerificationButton(school.name)).toHaveCount(0);
    await expectNoA11yViolations(teacher.page, 'home: teacher status pending');
  });

  await test.step('the administrator sees the request waiting and confirms the teacher', async () => {
    await admin.home.goto();
    await expect(admin.home.waitingCount(school.name, 1)).toBeVisible();
    await admin.home.requestsLink(school.name).click();
    await admin.requests.expectShown();
    await expect(admin.requests.noJoinRequests).toBeVisible();
    await expect(admin.requests.verification(nameOf(teacherProfile))).toBeVisible();
    await expectNoA11yViolations(admin.page, 'requests: a verification waiting');
    await admin.requests.confirm(nameOf(teacherProfile));
    await expect(admin.requests.noVerifications).toBeVisible();
    await expectNoA11yViolations(admin.page, 'requests: nothing waiting');
  });

  await test.step('the teacher\'s home shows the confirmed status and the badge, live', async () => {
    const status = teacher.home.teacherStatus(school.name, t.teacher_status_verified);
    await expect(status).toBeVisible();
    await expect(teacher.home.teacherBadge(status)).toContainText(t.teacher_badge);
    await expectNoA11yViolations(teacher.page, 'home: teacher verified');
  });

  await test.step('and keeps it after a reload', async () => {
    await teacher.page.reload();
    await teacher.home.expectShown();
    await expect(teacher.home.teacherBadge(teacher.home.school(school.name))).toBeVisible();
  });
});

test('a parent scans the class teacher\'s QR code, asks to join, and is let into the parents\' chat live', async ({
  page,
  t,
  createSchool,
  addClass,
  signUp,
  codeFor,
  newPhone,
  openBrowser,
}) => {
  const school = await createSchool('Школа № 32 (родители)');
  await addClass(school.id, CLASS);
  const admin = new Person(page, t);
  const teacher = new Person(await openBrowser(), t);
  const parent = new Person(await openBrowser(), t);
  const childName = 'Миша Лебедев';
  const label = 'Собрание 1 сентября';
  let classLink: CreatedLink;
  let url: string;

  await test.step(`the administrator invites the class teacher into ${CLASS}`, async () => {
    await signUp(school.admin);
    classLink = await createInvite(admin, school.name, { target: CLASS, role: t.role_teacher });
  });

  await test.step(`the teacher joins ${CLASS}, lands in its class chat, and is verified`, async () => {
    await teacher.join.goto(classLink.url);
    await teacher.join.expectInvite(CLASS, school.name);
    await signUpFromInvite(teacher, newPhone(), teacherProfile, codeFor);
    await teacher.chat.expectOpen(CLASS);
    await teacher.home.goto();
    await teacher.home.requestVerificationButton(school.name).click();
    await expect(teacher.home.teacherStatus(school.name, t.teacher_status_pending)).toBeVisible();
    await admin.home.goto();
    await admin.home.requestsLink(school.name).click();
    await admin.requests.confirm(nameOf(teacherProfile));
    await expect(admin.requests.noVerifications).toBeVisible();
  });

  await test.step('the teacher makes a parents\' link that needs approval', async () => {
    const link = await createInvite(teacher, school.name, { target: CLASS, role: t.role_parent, label, approval: true });
    url = link.url;
  });

  await test.step('the parent reads the QR code off the teacher\'s screen', async () => {
    const scanned = await decodeQr(teacher.invite.qrCode(CLASS, t.role_parent));
    expect(scanned).toBe(url);
  });

  await test.step('the parent opens the link, signs up and names the child', async () => {
    await parent.join.goto(url);
    await parent.join.expectInvite(CLASS, school.name);
    await expect(parent.join.detail(t.join_role)).toHaveText(t.role_parent);
    await expect(parent.join.detail(t.join_label)).toHaveText(label);
    // Invited by a teacher the school confirmed: the badge says so.
    const invitedBy = parent.join.detail(t.join_invited_by);
    await expect(invitedBy).toContainText(nameOf(teacherProfile));
    await expect(parent.home.teacherBadge(invitedBy)).toContainText(t.teacher_badge);
    await expect(parent.join.says(t.join_needs_approval)).toBeVisible();
    await expectNoA11yViolations(parent.page, 'join: parents\' link, signed out');
    await signUpFromInvite(parent, newPhone(), parentProfile, codeFor);
    // Back on the invite: joining waits for the child's name.
    await parent.join.expectInvite(CLASS, school.name);
    await expect(parent.join.childName).toBeVisible();
    await expectNoA11yViolations(parent.page, 'join: the child\'s name');
    await parent.join.requestButton.click();
    await expect(parent.join.childNameError).toHaveText(t.field_required);
    await parent.join.childName.fill(childName);
    await parent.join.requestButton.click();
    await expect(parent.join.pendingTitle).toBeVisible();
    await expectNoA11yViolations(parent.page, 'join: request waiting');
  });

  await test.step('the teacher sees the request with the child\'s name and approves it', async () => {
    await teacher.home.goto();
    await expect(teacher.home.waitingCount(school.name, 1)).toBeVisible();
    await teacher.home.requestsLink(school.name).click();
    await teacher.requests.expectShown();
    const request = teacher.requests.request(nameOf(parentProfile));
    await expect(request).toContainText(fill(t.join_request_what, { place: CLASS, role: t.role_parent }));
    await expect(request).toContainText(fill(t.join_request_child, { child: childName }));
    await expect(request).toContainText(label);
    // A teacher decides join requests only; verifying staff is the administrators' job.
    await expect(teacher.requests.verifications).toHaveCount(0);
    await expectNoA11yViolations(teacher.page, 'requests: a join request waiting');
    await teacher.requests.approve(nameOf(parentProfile));
    await expect(teacher.requests.noJoinRequests).toBeVisible();
  });

  await test.step(`the parent's page moves to «${parentsChat(CLASS)}» by itself`, async () => {
    await parent.chat.expectOpen(parentsChat(CLASS));
    await expectNoA11yViolations(parent.page, 'parents\' chat after approval');
    await parent.home.goto();
    await expect(parent.home.role(school.name, t.role_parent)).toBeVisible();
    await expect(parent.home.chat(parentsChat(CLASS))).toBeVisible();
    // A parent joins the parents' chat, not the children's.
    await expect(parent.home.chat(CLASS)).toHaveCount(0);
  });
});

test.describe('in English', () => {
  test.use({ lang: 'en' });

  test('a revoked link and a used-up link stop working and name nothing; the short code works like the link', async ({
    page,
    t,
    createSchool,
    signUp,
    codeFor,
    newPhone,
    openBrowser,
  }) => {
    const school = await createSchool('School No. 33 (links)');
    const admin = new Person(page, t);
    const stranger = new Person(await openBrowser(), t);
    const newcomer = new Person(await openBrowser(), t);
    let revoked: CreatedLink;
    let once: CreatedLink;

    await test.step('the administrator revokes a link on its page', async () => {
      await signUp(school.admin);
      revoked = await createInvite(admin, school.name, { target: STAFF_ROOM, role: t.role_teacher }, true);
      await admin.invite.revoke();
      await expect(admin.invite.notActive).toBeVisible();
      await expect(admin.invite.link).toHaveCount(0);
      await expect(admin.invite.revokeButton).toHaveCount(0);
      await expectNoA11yViolations(admin.page, 'invite: revoked');
    });

    await test.step('the revoked link shows its own page, with nothing of the school', async () => {
      await stranger.join.goto(revoked.url);
      await expect(stranger.join.problem(t.invite_revoked_title)).toBeVisible();
      await expect(stranger.join.says(t.error_invite_revoked)).toBeVisible();
      await expect(stranger.page.getByText(school.name)).toHaveCount(0);
      await expect(stranger.join.signInButton).toHaveCount(0);
      await expectNoA11yViolations(stranger.page, 'join: revoked');
    });

    await test.step('a link for one person is used by the short code, typed as printed', async () => {
      once = await createInvite(admin, school.name, { target: STAFF_ROOM, role: t.role_teacher, maxUses: 1, neverExpires: true });
      await newcomer.join.goto(`/join/${once.code}`);
      await newcomer.join.expectInvite(STAFF_ROOM, school.name);
      await expectNoA11yViolations(newcomer.page, 'join by short code');
      await signUpFromInvite(newcomer, newPhone(), teacherProfile, codeFor);
      await newcomer.chat.expectOpen(STAFF_ROOM);
    });

    await test.step('after its one use, the link shows the used-up page', async () => {
      await stranger.join.goto(once.url);
      await expect(stranger.join.problem(t.invite_used_up_title)).toBeVisible();
      await expect(stranger.page.getByText(school.name)).toHaveCount(0);
      await expectNoA11yViolations(stranger.page, 'join: used up');
    });

    await test.step('a code that names no invite, and a key that cannot be one, have their pages', async () => {
      await stranger.join.goto('/join/ABCD-EFGH');
      await expect(stranger.join.problem(t.invite_not_found_title)).toBeVisible();
      await stranger.join.goto('/join/not-a-key');
      await expect(stranger.join.problem(t.invite_malformed_title)).toBeVisible();
      await expectNoA11yViolations(stranger.page, 'join: malformed');
    });

    await test.step('the list shows each link\'s state; the unused ones are revoked at once', async () => {
      const unused = await createInvite(admin, school.name, { target: STAFF_ROOM, role: t.role_teacher });
      await admin.invite.backLink.click();
      await admin.invites.expectShown();
      await expect(admin.invites.rowState(revoked.id, t.invite_state_revoked)).toBeVisible();
      await expect(admin.invites.rowState(once.id, t.invite_state_used_up)).toBeVisible();
      await expect(admin.invites.rowState(unused.id, t.invite_state_active)).toBeVisible();
      await admin.invites.revokeUnused();
      await expect(admin.invites.status).toHaveText(fill(t.invites_revoked_count, { n: '1' }));
      await expect(admin.invites.rowState(unused.id, t.invite_state_revoked)).toBeVisible();
      await expect(admin.invites.rowState(once.id, t.invite_state_used_up)).toBeVisible();
      await expectNoA11yViolations(admin.page, 'invites: after revoking the unused');
      await stranger.join.goto(unused.url);
      await expect(stranger.join.problem(t.invite_revoked_title)).toBeVisible();
    });
  });
});

test('a student invites their parent with a one-use link; the student cannot use it themself', async ({
  page,
  t,
  createSchool,
  addClass,
  signUp,
  codeFor,
  newPhone,
  openBrowser,
}) => {
  const school = await createSchool('Школа № 34 (ученик и родитель)');
  await addClass(school.id, CLASS);
  const admin = new Person(page, t);
  const student = new Person(await openBrowser(), t);
  const parent = new Person(await openBrowser(), t);
  let parentLink: string;

  await test.step(`the student joins ${CLASS} by a student link`, async () => {
    await signUp(school.admin);
    const link = await createInvite(admin, school.name, { target: CLASS, role: t.role_student });
    await student.join.goto(link.url);
    await student.join.expectInvite(CLASS, school.name);
    await signUpFromInvite(student, newPhone(), studentProfile, codeFor);
    await student.chat.expectOpen(CLASS);
  });

  await test.step('the student makes a link for their parent on home', async () => {
    await student.home.goto();
    await expect(student.home.role(school.name, t.role_student)).toBeVisible();
    // Students invite nobody else.
    await expect(student.home.invitesLink(school.name)).toHaveCount(0);
    await expectNoA11yViolations(student.page, 'home: student');
    await student.home.parentInviteButton(school.name).click();
    await student.invite.expectShown(CLASS, t.role_parent);
    await expect(student.page.getByText(fill(t.invite_uses_of, { n: '0', max: '1' }), { exact: false })).toBeVisible();
    await expectNoA11yViolations(student.page, 'invite: for a parent');
    parentLink = await student.invite.url();
  });

  await test.step('opened by the student, the link says it is for the parent', async () => {
    await student.join.goto(parentLink);
    await expect(student.join.mixUpTitle).toBeVisible();
    await expect(student.join.mixUpSignOut).toBeVisible();
    await expect(student.join.joinButton).toHaveCount(0);
    await expect(student.join.requestButton).toHaveCount(0);
    await expectNoA11yViolations(student.page, 'join: mix-up');
  });

  await test.step('the parent sees whose parent the link makes them, joins, and lands in the parents\' chat', async () => {
    await parent.join.goto(parentLink);
    await parent.join.expectInvite(CLASS, school.name);
    await expect(parent.join.detail(t.join_child)).toHaveText(nameOf(studentProfile));
    await expect(parent.join.detail(t.join_invited_by)).toHaveText(nameOf(studentProfile));
    await expectNoA11yViolations(parent.page, 'join: a child\'s link, signed out');
    await signUpFromInvite(parent, newPhone(), parentProfile, codeFor);
    await parent.chat.expectOpen(parentsChat(CLASS));
  });

  await test.step('the link is used up now', async () => {
    await student.page.reload();
    await expect(student.join.problem(t.invite_used_up_title)).toBeVisible();
  });
});
