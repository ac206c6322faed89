import { dictionary } from "@zxcvbn-ts/language-common";

// About 49,000 passwords seen most often in breaches (the zxcvbn-ts common list).
const COMMON = new Set(
  (dictionary["passwords-common"] as string[]).map((password) => password.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}
