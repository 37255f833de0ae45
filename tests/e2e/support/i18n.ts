// The app's own translation files: every label and message the tests look for comes from here, so the
// same test checks Russian and English, and a reworded string does not break a test.
import ru from '../../../src/i18n/ru.json';
import en from '../../../src/i18n/en.json';

export type Strings = typeof ru;
export type Lang = 'ru' | 'en';

export const strings: Record<Lang, Strings> = { ru, en };

/** Fills `{name}` placeholders the way the app does (`i18n::fill`). */
export function fill(template: string, args: Record<string, string>): string {
  return Object.entries(args).reduce((text, [name, value]) => text.split(`{${name}}`).join(value), template);
}

/** Escapes text for use inside a RegExp (chat and school names are matched as parts of a link's name). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
