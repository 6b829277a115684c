import { parseArgs } from "node:util";
import { parseOwnerConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";
import { createOperator } from "../src/operators/index.js";
import { OPERATOR_ROLES, type OperatorRole } from "../src/operators/schema.js";

/** npm run operator:create -- --email a@b.c --name "A B" --role support   (password on stdin) */
const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } },
});
const role = values.role as OperatorRole | undefined;
if (!values.email || !values.name || !role || !OPERATOR_ROLES.includes(role)) {
  process.stderr.write(`usage: create-operator --email EMAIL --name NAME --role ${OPERATOR_ROLES.join("|")} < password\n`);
  process.exit(2);
}
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const password = Buffer.concat(chunks).toString("utf8").trim();
const db = connectDb(parseOwnerConfig(process.env).DATABASE_OWNER_URL, { max: 1, applicationName: "pdm-create-operator" });
try {
  const { id } = await createOperator(db, { email: values.email, name: values.name, role, password });
  process.stdout.write(`${id}\n`);
} finally {
  await db.close();
}
