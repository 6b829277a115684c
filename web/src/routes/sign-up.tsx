import { createRoute, Link, useNavigate } from "@tanstack/react-router";
import { LanguageSwitch } from "../components/language-switch";
import { SignUpForm } from "../features/auth/components/sign-up-form";
import { authMessages } from "../features/auth/messages";
import { common, useT } from "../lib/i18n";
import { rootRoute } from "./root";

function SignUpPage() {
  const navigate = useNavigate();
  const t = useT(authMessages);
  const c = useT(common);
  return (
    <main className="centered">
      <title>{c("app.title", { page: t("signUp.title") })}</title>
      <LanguageSwitch />
      <div className="card">
        <h1>{t("signUp.title")}</h1>
        <p className="muted">{t("signUp.lead")}</p>
        <SignUpForm onAccepted={(email) => navigate({ to: "/sign-in", search: { reason: "signed-up" }, state: { email } })} />
        <p className="muted">
          {t("signUp.haveAccount")} <Link to="/sign-in">{t("signIn.title")}</Link>
        </p>
      </div>
    </main>
  );
}

export const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-up",
  component: SignUpPage,
});
