// What every new school starts with (server/src/schools.rs). Data, not interface strings: the same in
// every language, so these are the only Russian literals the tests use.
export const GENERAL_CHANNEL = 'Общий канал';
export const STAFF_CHANNEL = 'Сотрудники';
/** The staff room every school starts with: its class, its chat, and where staff invites lead. */
export const STAFF_ROOM = 'Учительская';

/** The title of a class's parents' chat (server/src/classes.rs). */
export function parentsChat(className: string): string {
  return `Родители ${className}`;
}
