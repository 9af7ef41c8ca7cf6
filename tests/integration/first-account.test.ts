import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDepartment, signUp } from "~/services/commands/accounts.server";
import { listDepartments } from "~/services/lookups/departments.server";
import { Invalid } from "~/services/errors";
import { db } from "~db/client";
import { auditLog, departments, users } from "~db/schema";

// This file's database starts empty (no people, no teams), and the tests run in order.
describe("the first account on an empty instance", () => {
  it("the first person to sign up becomes an admin and the second a participant", async () => {
    expect(await db().select().from(users).all()).toEqual([]);
    expect(await db().select().from(departments).all()).toEqual([]);

    // No teams exist yet, so none is required.
    const first = await signUp({ name: "Ada First", email: "ada@example.test", password: "tulip sofa windy 1" }, { ip: "10.1.0.1" });
    const second = await signUp({ name: "Bo Second", email: "bo@example.test", password: "tulip sofa windy 2" }, { ip: "10.1.0.2" });

    expect(first.user!.role).toBe("admin");
    expect(second.user!.role).toBe("participant");
    const stored = await db().select({ email: users.email, role: users.role }).from(users).all();
    expect(stored).toEqual([
      { email: "ada@example.test", role: "admin" },
      { email: "bo@example.test", role: "participant" },
    ]);
    const audited = await db().select().from(auditLog).where(eq(auditLog.action, "sign_up")).all();
    expect(audited.map((a) => [a.actorId, JSON.parse(a.detail ?? "{}").role])).toEqual([
      [first.user!.id, "admin"],
      [second.user!.id, "participant"],
    ]);
  });

  it("a third person is a participant too, and must choose a team once teams exist", async () => {
    const admin = (await db().select().from(users).where(eq(users.role, "admin")).get())!;
    const team = await createDepartment({ id: admin.id, name: admin.name, email: admin.email, role: admin.role, departmentId: null }, { name: "Research" });
    expect((await listDepartments()).map((d) => d.name)).toEqual(["Research"]);

    await expect(signUp({ name: "Cy Third", email: "cy@example.test", password: "tulip sofa windy 3" }, { ip: null })).rejects.toSatisfy(
      (e) => e instanceof Invalid && (e.fieldErrors.departmentId?.length ?? 0) > 0,
    );
    await expect(
      signUp({ name: "Cy Third", email: "cy@example.test", password: "tulip sofa windy 3", departmentId: 9999 }, { ip: null }),
    ).rejects.toBeInstanceOf(Invalid);

    const third = await signUp({ name: "Cy Third", email: "cy@example.test", password: "tulip sofa windy 3", departmentId: String(team.id) }, { ip: null });
    expect(third.user).toMatchObject({ role: "participant", departmentId: team.id });
    expect(await db().select().from(users).where(eq(users.role, "admin")).all()).toHaveLength(1);
  });

  it("an email address can hold only one account, whatever its case (a second sign-up changes nothing)", async () => {
    const team = (await listDepartments())[0]!;
    const again = await signUp({ name: "Ada Again", email: "  ADA@Example.test ", password: "another quiet river", departmentId: team.id }, { ip: null });
    expect(again.user).toBeNull();
    expect(await db().select().from(users).all()).toHaveLength(3);
    expect((await db().select({ name: users.name }).from(users).where(eq(users.email, "ada@example.test")).get())!.name).toBe("Ada First");
  });
});
