import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useRevokeInvitation, useTeamInvitations } from "../api/invitations";
import { invitationState } from "../lib/rules";
import { teamMessages } from "../messages";

/** Every invitation, newest first, with its state; a pending one can be withdrawn by a role that writes. */
export function InvitationsSection({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const t = useT(teamMessages);
  const c = useT(common);
  const format = useFormat();
  const invitations = useTeamInvitations(tenantId);
  const revoke = useRevokeInvitation(tenantId);
  const [done, setDone] = useState<string | undefined>();
  const now = Date.now();
  const rows = (invitations.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? []).slice().reverse();

  const withdraw = (id: string, email: string) => {
    setDone(undefined);
    revoke.mutate(id, { onSuccess: () => setDone(t("invitations.revoked", { email })) });
  };

  return (
    <section aria-labelledby="invitations-title" className="team-section">
      <h2 id="invitations-title">{t("invitations.heading")}</h2>
      <div aria-live="polite">
        {done && (
          <p className="notice notice-success" role="status">
            {done}
          </p>
        )}
      </div>
      {revoke.isError && <ErrorNotice error={revoke.error} title={t("invitations.refused")} />}
      {invitations.isPending && <p role="status">{t("invitations.loading")}</p>}
      {invitations.isError && (
        <>
          <ErrorNotice error={invitations.error} title={t("invitations.error")} />
          <button type="button" onClick={() => invitations.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {invitations.isSuccess && rows.length === 0 && (
        <p className="empty" role="status">
          {t("invitations.empty")}
        </p>
      )}
      {rows.length > 0 && (
        <table className="team-table invitations">
          <thead>
            <tr>
              <th scope="col">{t("invitations.col.email")}</th>
              <th scope="col">{t("invitations.col.role")}</th>
              <th scope="col">{t("invitations.col.sent")}</th>
              <th scope="col">{t("invitations.col.expires")}</th>
              <th scope="col">{t("invitations.col.state")}</th>
              {canWrite && <th scope="col">{t("invitations.col.actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((inv) => {
              const state = invitationState(inv, now);
              return (
                <tr key={inv.id} data-invitation-id={inv.id} data-state={state}>
                  <td>{inv.email}</td>
                  <td>{c(`role.${inv.role}`)}</td>
                  <td>{format.dateTime(inv.createdAt)}</td>
                  <td>{format.dateTime(inv.expiresAt)}</td>
                  <td>
                    <span className={`badge invitation-${state.toLowerCase()}`}>{t(`invitations.state.${state}`)}</span>
                  </td>
                  {canWrite && (
                    <td>
                      {state === "PENDING" && (
                        <button
                          type="button"
                          className="small"
                          aria-label={t("invitations.revokeFor", { email: inv.email })}
                          disabled={revoke.isPending}
                          onClick={() => withdraw(inv.id, inv.email)}
                        >
                          {t("invitations.revoke")}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {invitations.hasNextPage && (
        <div className="pager">
          <button type="button" onClick={() => invitations.fetchNextPage()} disabled={invitations.isFetchingNextPage}>
            {t("invitations.more")}
          </button>
        </div>
      )}
    </section>
  );
}
