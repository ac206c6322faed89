/**
 * User names and passwords written into addresses (`https://user:secret@host/`): how to spot them
 * in a setting, and how to take them out of text that is logged, stored or shown to admins.
 */

export function hasCredentials(url: URL): boolean {
  return url.username !== "" || url.password !== "";
}

// A scheme, then everything up to the last "@" before the host ends (a password may hold "@").
// Schemes are short: one is looked for only up to 32 characters from each word's start, since
// the text may be a visitor's (an error quoting a 16 KB address of "a.a.a…" took 0.2 s to clean
// when every "." began a scan to the end).
const CREDENTIALS_IN_ADDRESS = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#]*@/gi;

/** The text with the credentials of every address in it replaced by "***". */
export function withoutUrlCredentials(text: string): string {
  return text.replace(CREDENTIALS_IN_ADDRESS, "$1***@");
}
