import { describe, expect, it } from "vitest";
import { can, isStaff, type Actor } from "~/models/permissions";

const member: Actor = { id: 1, role: "member" };
const moderator: Actor = { id: 2, role: "moderator" };
const admin: Actor = { id: 3, role: "admin" };
const otherAdmin: Actor = { id: 4, role: "admin" };

describe("can", () => {
  it("lets only admins open the admin pages", () => {
    expect(can(null, "admin:view")).toBe(false);
    expect(can(member, "admin:view")).toBe(false);
    expect(can(moderator, "admin:view")).toBe(false);
    expect(can(admin, "admin:view")).toBe(true);
  });

  it("lets any signed-in person manage their own account, and nobody anonymous", () => {
    expect(can(undefined, "account:manage")).toBe(false);
    for (const actor of [member, moderator, admin]) expect(can(actor, "account:manage")).toBe(true);
  });

  it("lets admins change the role of members and moderators, but not of admins or themselves", () => {
    expect(can(admin, "member:set-role", { target: member })).toBe(true);
    expect(can(admin, "member:set-role", { target: moderator })).toBe(true);
    expect(can(admin, "member:set-role", { target: otherAdmin })).toBe(false);
    expect(can(admin, "member:set-role", { target: admin })).toBe(false);
  });

  it("refuses role changes to everyone who is not an admin", () => {
    expect(can(null, "member:set-role", { target: member })).toBe(false);
    expect(can(member, "member:set-role", { target: { id: 9, role: "member" } })).toBe(false);
    expect(can(moderator, "member:set-role", { target: member })).toBe(false);
  });

  it("counts moderators and admins as staff", () => {
    expect([null, member, moderator, admin].map(isStaff)).toEqual([false, false, true, true]);
  });
});
