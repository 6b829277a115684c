import { createRoute } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useSupportInbox } from "../features/operator/api/inbox";
import { AlertList } from "../features/operator/components/alert-list";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { RoleOnly } from "../features/operator/components/role-only";
import { operatorMessages } from "../features/operator/messages";
import { common, useFormat, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

function Inbox({ reason }: { reason: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const f = useFormat();
  const inbox = useSupportInbox(reason);
  if (inbox.isPending) return <p role="status">{c("state.loading")}</p>;
  if (inbox.isError) return <ErrorNotice error={inbox.error} title={t("inbox.error")} />;
  const rows = inbox.data.pages.flatMap((p) => p.edges.map((e) => e.node));
  if (rows.length === 0) return <p className="empty">{t("inbox.empty")}</p>;
  return (
    <>
      <AlertList rows={rows} label={t("inbox.title")} showCustomer />
      <div className="pager">
        <p className="muted">{t(rows.length === 1 ? "inbox.shown.one" : "inbox.shown.other", { count: f.number(rows.length) })}</p>
        {inbox.hasNextPage && (
          <button type="button" onClick={() => void inbox.fetchNextPage()} disabled={inbox.isFetchingNextPage}>
            {inbox.isFetchingNextPage ? t("action.loadingMore") : t("action.loadMore")}
          </button>
        )}
      </div>
    </>
  );
}

function InboxPage() {
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <section className="page operator-page" aria-labelledby="operator-inbox-title">
      <title>{c("app.title", { page: t("inbox.title") })}</title>
      <h1 id="operator-inbox-title">{t("inbox.title")}</h1>
      <p className="muted">{t("inbox.lead")}</p>
      <RoleOnly only="SUPPORT">
        <ReasonGate scope="platform">{(reason) => <Inbox reason={reason} />}</ReasonGate>
      </RoleOnly>
    </section>
  );
}

export const operatorInboxRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/inbox",
  component: InboxPage,
});
