import { checkEmail, checkPasswordPolicy, checkPersonName, hashPassword } from "../auth/index.js";
import { conflict } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Db, isUniqueViolation } from "../db/client.js";
import { type OperatorRole, operators } from "./schema.js";

/**
 * Creates an operator account. Runs with the owner's connection (a provisioning command),
 * never from the API: no API path can create platform staff.
 */
export async function createOperator(
  ownerDb: Db,
  input: { email: string; name: string; role: OperatorRole; password: string },
): Promise<{ id: string }> {
  const email = checkEmail(input.email);
  const name = checkPersonName(input.name);
  checkPasswordPolicy(input.password, { email });
  const id = newId("operator");
  try {
    await ownerDb.db.insert(operators).values({ id, email, name, role: input.role, passwordHash: await hashPassword(input.password) });
  } catch (error) {
    if (isUniqueViolation(error, "operators_email_key")) throw conflict(`An operator with email ${email} exists already.`);
    throw error;
  }
  return { id };
}
