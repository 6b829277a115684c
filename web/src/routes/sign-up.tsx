import { createRoute, Link, useNavigate } from "@tanstack/react-router";
import { SignUpForm } from "../features/auth/components/sign-up-form";
import { rootRoute } from "./root";

function SignUpPage() {
  const navigate = useNavigate();
  return (
    <main className="centered">
      <title>Create an account · Predictive maintenance</title>
      <div className="card">
        <h1>Create an account</h1>
        <p className="muted">A new company with you as its owner.</p>
        <SignUpForm onAccepted={(email) => navigate({ to: "/sign-in", search: { reason: "signed-up" }, state: { email } })} />
        <p className="muted">
          Already have an account? <Link to="/sign-in">Sign in</Link>
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
