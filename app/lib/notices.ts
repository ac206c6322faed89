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
  "thread-pinned": "Pinned: the thread stays at the top of its category.",
  "thread-unpinned": "Unpinned.",
  "thread-locked": "Locked: the thread takes no new replies.",
  "thread-unlocked": "Unlocked: replies are open again.",
  "thread-hidden": "Hidden: only moderators and the author can see the thread.",
  "thread-restored": "Restored: everyone can see the thread again.",
  "thread-moved": "Moved to the new category.",
  "thread-merged": "Merged: the duplicate's posts are now at the end of this thread.",
  "post-hidden": "Hidden: only moderators and the author can see the post.",
  "post-restored": "Restored: everyone can see the post again.",
  "post-flagged": "Thank you: moderators will review the post.",
  "flags-agree": "Agreed: the post stays hidden and its author was told.",
  "flags-disagree": "Disagreed: the post is visible again.",
  "flags-ignore": "Ignored: the flags are closed.",
  "member-suspended": "The member is suspended and signed out everywhere.",
  "member-unsuspended": "The suspension is lifted.",
  "reward-granted": "Granted. The moderator is notified, and the grant is on its way to the billing system.",
  "reward-already-granted": "This form was already submitted: the grant below was made once, not twice.",
  "reward-revoked": "Revoked. A compensating ledger entry was written and the billing system will be told.",
  "package-saved": "The package is saved.",
  "package-retired": "Retired: the package stays on record for its grants but can no longer be granted.",
  "package-deleted": "Deleted: the package was never granted.",
  "package-reinstated": "The package can be granted again.",
  "billing-id-saved": "The billing client id is saved.",
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function noticeText(key: string | null): string | null {
  return key && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : null;
}

export function withNotice(path: string, notice: NoticeKey): string {
  const url = new URL(path, "http://local");
  url.searchParams.set("notice", notice);
  return `${url.pathname}${url.search}${url.hash}`;
}
