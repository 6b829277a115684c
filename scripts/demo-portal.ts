import type { Persona, PortalPerson } from "./portal-pages.js";

/**
 * The demo's people for the portal, and what the demo does once its data is in: keep the API
 * serving the portal until Ctrl-C (with a terminal), or take a screenshot of each page and stop
 * (without one).
 */
type GraphQL = <T>(query: string, variables: Record<string, unknown>, token: string) => Promise<T>;
type Anonymous = (query: string, variables: Record<string, unknown>) => Promise<{ data?: unknown; errors?: unknown }>;

export const DEMO_COMPANY = "Demo Turbofans Ltd";
export const EMPTY_COMPANY = "Demo Newcomer GmbH";

export const DEMO_PEOPLE: Readonly<Record<Persona, PortalPerson & { name: string }>> = {
  owner: { email: "demo.owner@example.com", name: "Dana Demo", password: "demo password 2026" },
  finance: { email: "demo.accounts@example.com", name: "Felix Figures", password: "demo accounts password 2026" },
  newcomer: { email: "demo.newcomer@example.com", name: "Nina Newcomer", password: "demo newcomer password 2026" },
};

/** What the demo ends with: `serve` keeps the portal up until Ctrl-C, `screenshots` takes its pictures and stops, `stop` just stops. */
export type DemoMode = { kind: "serve" } | { kind: "screenshots"; folder: string } | { kind: "stop" };

const MODES = ["serve", "screenshots", "stop"] as const;

/**
 * The mode from the arguments (`--serve`, `--screenshots[=folder]`, `--stop`), else DEMO_MODE
 * (`serve`, `screenshots`, `stop`) and DEMO_SCREENSHOTS (the folder), else by whether stdin and
 * stdout are a terminal. Screenshots go to `.demo/screenshots/<time>/` unless a folder is named.
 * The other arguments are left for the demo (its data folder).
 */
export function demoMode(args: readonly string[], env: NodeJS.ProcessEnv, tty: boolean): { mode: DemoMode; rest: string[] } {
  let kind: (typeof MODES)[number] | undefined;
  let folder = env.DEMO_SCREENSHOTS || undefined;
  const rest: string[] = [];
  for (const arg of args) {
    const [flag, value] = arg.split(/=(.*)/s);
    if (flag === "--serve") kind = "serve";
    else if (flag === "--stop") kind = "stop";
    else if (flag === "--screenshots") {
      kind = "screenshots";
      if (value) folder = value;
    } else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}: use --serve, --screenshots[=folder] or --stop`);
    else rest.push(arg);
  }
  if (!kind && env.DEMO_MODE) {
    kind = MODES.find((m) => m === env.DEMO_MODE);
    if (!kind) throw new Error(`DEMO_MODE=${env.DEMO_MODE} is not one of ${MODES.join(", ")}`);
  }
  kind ??= tty ? "serve" : "screenshots";
  if (kind !== "screenshots") return { mode: { kind }, rest };
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return { mode: { kind, folder: folder ?? `.demo/screenshots/${stamp}` }, rest };
}

/**
 * The demo's other people, made once: a finance member of the demo's company, and a newcomer who
 * owns a company without assets and is a viewer in the demo's (so signing in asks which company).
 */
export async function ensurePortalPeople(
  graphql: GraphQL,
  anonymous: Anonymous,
  ownerToken: string,
  say: (l: string) => void,
): Promise<void> {
  const { members } = await graphql<{ members: { edges: { node: { email: string } }[] } }>(
    "{ members(first: 100) { edges { node { email } } } }",
    {},
    ownerToken,
  );
  const present = new Set(members.edges.map((e) => e.node.email));
  const { newcomer, finance } = DEMO_PEOPLE;
  // The answer is the same whether the account exists or not.
  await anonymous("mutation ($input: SignUpInput!) { signUp(input: $input) { email } }", {
    input: { tenantName: EMPTY_COMPANY, email: newcomer.email, name: newcomer.name, password: newcomer.password },
  });
  for (const [person, role] of [
    [finance, "FINANCE"],
    [newcomer, "VIEWER"],
  ] as const) {
    if (present.has(person.email)) continue;
    const { createInvitation } = await graphql<{ createInvitation: { token: string } }>(
      "mutation ($email: String!, $role: MemberRole!) { createInvitation(email: $email, role: $role) { token } }",
      { email: person.email, role },
      ownerToken,
    );
    const accepted = await anonymous("mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { userId } }", {
      input: { token: createInvitation.token, password: person.password, name: person.name },
    });
    if (accepted.errors) throw new Error(`${person.email} could not join: ${JSON.stringify(accepted.errors)}`);
    say(`${person.email} joined ${DEMO_COMPANY} as ${role.toLowerCase()}`);
  }
}

/** Prints how to sign in to the portal. */
export function printPortal(url: string, say: (l: string) => void): void {
  say(`\nthe portal: ${url}/`);
  say(`  owner     ${DEMO_PEOPLE.owner.email}  password: ${DEMO_PEOPLE.owner.password}`);
  say(`  finance   ${DEMO_PEOPLE.finance.email}  password: ${DEMO_PEOPLE.finance.password}`);
  say(
    `  newcomer  ${DEMO_PEOPLE.newcomer.email}  password: ${DEMO_PEOPLE.newcomer.password}  (owner of the empty "${EMPTY_COMPANY}", viewer in "${DEMO_COMPANY}")`,
  );
}

/** Resolves at the first Ctrl-C (SIGINT) or SIGTERM, or when the API process ends by itself. */
export function untilStopped(api: { once(event: "exit", listener: () => void): unknown }): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("Ctrl-C"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
    api.once("exit", () => resolve("the API exited"));
  });
}
