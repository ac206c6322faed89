/**
 * The numbers of account input, for the server's checks and the pages' field limits. The input
 * shapes built from them are in account-input.server.ts: zod stays on the server.
 */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 24;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const EMAIL_MAX = 254;
