import { describe, expect, it } from "vitest";
import { newPasswordSchema, signUpSchema } from "~/auth/password-policy.server";
import { emailSchema, signInSchema, usernameSchema } from "~/models/account-input.server";

const firstMessage = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message;

describe("usernames", () => {
  it.each(["abc", "Alice", "bob_the.builder-2", "_x_", "a".repeat(24)])("accepts %s", (name) => {
    expect(usernameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ["", "Enter a username."],
    ["ab", "Use at least 3 characters."],
    ["a".repeat(25), "Use at most 24 characters."],
    ["a".repeat(10_000), "Use at most 24 characters."],
    ["bob smith", "Use letters"],
    ["Robert'); DROP TABLE members;--", "Use at most 24 characters."],
    ["x';--", "Use letters"],
    ["<script>", "Use letters"],
    [".alice", "Use letters"],
    ["alice-", "Use letters"],
    ["żółw", "Use letters"],
    ["Admin", "reserved"],
  ])("refuses %j with a message", (name, message) => {
    expect(firstMessage(usernameSchema.safeParse(name))).toContain(message);
  });

  it("trims surrounding spaces", () => {
    expect(usernameSchema.parse("  alice ")).toBe("alice");
  });
});

describe("emails", () => {
  it("accepts ordinary addresses", () => {
    expect(emailSchema.parse(" Ana@Example.COM ")).toBe("Ana@Example.COM");
  });

  it.each([
    ["", "Enter your email address."],
    ["not-an-email", "Enter an email address like"],
    [`${"a".repeat(250)}@x.io`, "at most 254"],
  ])("refuses %j", (email, message) => {
    expect(firstMessage(emailSchema.safeParse(email))).toContain(message);
  });
});

describe("new passwords", () => {
  it("takes 8 to 256 characters of anything, with no composition rules", () => {
    expect(newPasswordSchema.safeParse("lowercase only words").success).toBe(true);
    expect(newPasswordSchema.safeParse("пароль-котик-42").success).toBe(true);
    expect(newPasswordSchema.safeParse("x".repeat(7) + "y").success).toBe(true);
    expect(firstMessage(newPasswordSchema.safeParse("short1!"))).toBe("Use at least 8 characters.");
    expect(firstMessage(newPasswordSchema.safeParse("z".repeat(257)))).toBe("Use at most 256 characters.");
  });

  it.each(["password", "12345678", "Password1", "qwertyuiop", "iloveyou"])("refuses the common password %s", (password) => {
    expect(firstMessage(newPasswordSchema.safeParse(password))).toContain("most common");
  });

  it("reports each sign-up field separately", () => {
    const result = signUpSchema.safeParse({ username: "", email: "nope", password: "123" });
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((issue) => issue.path[0]));
    expect(fields).toEqual(new Set(["username", "email", "password"]));
  });
});

describe("sign-in input", () => {
  it("requires both fields and bounds their length", () => {
    expect(signInSchema.safeParse({ login: "alice", password: "whatever" }).success).toBe(true);
    expect(signInSchema.safeParse({}).success).toBe(false);
    expect(signInSchema.safeParse({ login: "a".repeat(10_000), password: "x" }).success).toBe(false);
  });
});
