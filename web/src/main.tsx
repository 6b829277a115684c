import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "./lib/query-client";
import { onSessionEnded } from "./lib/session";
import { createAppRouter } from "./router";
import "./styles.css";

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);

// A token that stops working (expired, signed out elsewhere): sign in again, then back to this page.
onSessionEnded((reason, ended) => {
  const here = router.state.location.href;
  queryClient.clear();
  void router.navigate({ to: "/sign-in", search: { reason, redirect: here }, state: { email: ended.email } });
});

const root = document.getElementById("root");
if (!root) throw new Error("The page has no #root element.");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
