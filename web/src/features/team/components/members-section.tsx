import "../styles.css";
import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import type { MemberRole } from "../../../gql/graphql";
import { common, useT } from "../../../lib/i18n";
import { useRemoveMember, useUpdateMemberRole } from "../api/member-changes";
import { useTeamMembers } from "../api/members";
import { plural } from "../lib/plural";
import { memberControls } from "../lib/rules";
import { teamMessages } from "../messages";
import { MemberRow } from "./member-row";

interface Outcome {
  readonly kind: "ok" | "error";
  readonly text?: string;
  readonly error?: unknown;
}

/** The tenant's members; `canWrite` (members:write) adds the role choice and Remove on each row. */
export function MembersSection({
  tenantId,
  tenantName,
  caller,
  canWrite,
}: {
  tenantId: string;
  tenantName: string;
  caller: { readonly userId: string | null | undefined; readonly role: MemberRole | null | undefined };
  canWrite: boolean;
}) {
  const t = useT(teamMessages);
  const c = useT(common);
  const members = useTeamMembers(tenantId);
  const update = useUpdateMemberRole(tenantId);
  const remove = useRemoveMember(tenantId);
  const [confirming, setConfirming] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const rows = members.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [];
  const owners = rows.filter((m) => m.role === "OWNER").length;
  const allKnown = members.isSuccess && !members.hasNextPage;
  const busy = update.isPending || remove.isPending;

  const changeRole = (userId: string, name: string, role: MemberRole) => {
    setOutcome(undefined);
    update.mutate(
      { userId, role },
      {
        onSuccess: (m) => setOutcome({ kind: "ok", text: t("members.roleChanged", { name, role: c(`role.${m.role}`) }) }),
        onError: (error) => setOutcome({ kind: "error", error }),
      },
    );
  };
  const removeMember = (userId: string, name: string) => {
    setOutcome(undefined);
    remove.mutate(userId, {
      onSuccess: () => setOutcome({ kind: "ok", text: t("members.removed", { name }) }),
      onError: (error) => setOutcome({ kind: "error", error }),
      onSettled: () => setConfirming(undefined),
    });
  };

  return (
    <section aria-labelledby="members-title" className="team-section">
      <h2 id="members-title">{t("members.heading")}</h2>
      {!canWrite && <p className="muted">{t("members.readOnly")}</p>}
      <div aria-live="polite">
        {outcome?.kind === "ok" && (
          <p className="notice notice-success" role="status">
            {outcome.text}
          </p>
        )}
      </div>
      {outcome?.kind === "error" && <ErrorNotice error={outcome.error} title={t("members.refused")} />}
      {members.isPending && <p role="status">{t("members.loading")}</p>}
      {members.isError && (
        <>
          <ErrorNotice error={members.error} title={t("members.error")} />
          <button type="button" onClick={() => members.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {members.isSuccess && rows.length === 0 && (
        <p className="empty" role="status">
          {t("members.empty")}
        </p>
      )}
      {rows.length > 0 && (
        <table className="team-table members">
          <caption className="visually-hidden">{plural(t, "members.count", rows.length)}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.col.name")}</th>
              <th scope="col">{t("members.col.email")}</th>
              <th scope="col">{t("members.col.role")}</th>
              <th scope="col">{t("members.col.joined")}</th>
              {canWrite && <th scope="col">{t("members.col.actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <MemberRow
                // A new key after a change resets the row's unsaved choice to what the API holds.
                key={`${m.userId}:${m.role}`}
                member={m}
                isSelf={m.userId === caller.userId}
                canWrite={canWrite}
                controls={memberControls(m, caller, owners, allKnown)}
                busy={busy}
                confirming={confirming === m.userId}
                tenantName={tenantName}
                onConfirm={(open) => setConfirming(open ? m.userId : undefined)}
                onChangeRole={(role) => changeRole(m.userId, m.name, role)}
                onRemove={() => removeMember(m.userId, m.name)}
              />
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 && (
        <div className="pager">
          {members.hasNextPage && (
            <button type="button" onClick={() => members.fetchNextPage()} disabled={members.isFetchingNextPage}>
              {members.isFetchingNextPage ? t("members.loadingMore") : t("members.more")}
            </button>
          )}
          <p className="muted">{plural(t, "members.count", rows.length)}</p>
        </div>
      )}
    </section>
  );
}
