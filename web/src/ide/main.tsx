import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Ide } from "./ide";
import "graphiql/style.css";
import "./ide.css";

const root = document.getElementById("ide");
if (!root) throw new Error("The page has no #ide element.");
createRoot(root).render(
  <StrictMode>
    <Ide />
  </StrictMode>,
);
