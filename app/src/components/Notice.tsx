/** A message box: an explained error, a warning or a success. */
import type { ReactNode } from "react";

export function Notice(props: {
  tone: "error" | "warn" | "ok" | "info";
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      className={`notice ${props.tone}`}
      role={props.tone === "error" ? "alert" : "status"}
      data-testid={props.testId}
    >
      <strong>{props.title}</strong>
      {props.children !== undefined && <div>{props.children}</div>}
    </div>
  );
}
