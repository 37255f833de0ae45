// What every new school starts with (server/src/schools.rs). Data, not interface strings: the same in
// every language, so these are the only Russian literals the tests use.
export const GENERAL_CHANNEL = 'Общий канал';
export const STAFF_CHANNEL = 'Сотрудники';
