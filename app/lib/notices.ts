/**
 * One-line confirmations shown after a redirect, named in the `notice` query parameter. Only
 * these fixed texts can appear, so the parameter cannot be used to put words on the page.
 */
export const NOTICES = {
  "signed-in": "Welcome back.",
  "signed-up": "Welcome to HostHelp! Your account is ready.",
  "signed-out": "You are signed out.",
  "signed-out-everywhere": "You are signed out on every device.",
  "password-changed": "Your password is changed. Other devices were signed out.",
  "password-reset": "Your password is reset and you are signed in. Other devices were signed out.",
  "settings-saved": "Your settings are saved.",
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function noticeText(key: string | null): string | null {
  return key && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : null;
}

export function withNotice(path: string, notice: NoticeKey): string {
  const url = new URL(path, "http://local");
  url.searchParams.set("notice", notice);
  return `${url.pathname}${url.search}`;
}
