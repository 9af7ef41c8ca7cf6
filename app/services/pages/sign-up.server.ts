import { listDepartments } from "~/services/lookups/departments.server";
import { passwordSignInAllowed } from "~/services/lookups/sign-on.server";

/** What the sign-up page needs: whether passwords may be used at all here, and if so the departments to choose from. */
export async function signUpPage() {
  if (!(await passwordSignInAllowed())) return { passwords: false as const, departments: [] };
  return { passwords: true as const, departments: await listDepartments() };
}
