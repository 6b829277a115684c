import { Link } from "@tanstack/react-router";
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";
import { useSampleTarget } from "../api/sample-asset";
import { buildSnippet, type IssuedSettings, PLACEHOLDER_TARGET, SNIPPET_KINDS, type SnippetKind } from "../lib/snippets";
import { deviceMessages } from "../messages";
import { CopyButton } from "./copy-button";
import "../styles.css";
import { useT } from "../../../lib/i18n";

/**
 * A token just issued, shown once: the secret with a copy button and the ready-to-paste settings for
 * the InfluxDB clients, Telegraf, mosquitto_pub and curl, built from the API's answer. The secret
 * lives only in this component's props: leaving the page forgets it.
 */
export function IssuedTokenPanel({
  tenantId,
  device,
  issued,
  sampleAssetId,
  onDismiss,
  openLink = true,
  children,
}: {
  tenantId: string;
  device: { id: string; name: string };
  issued: IssuedSettings;
  sampleAssetId: string | undefined;
  onDismiss: () => void;
  /** A link to the device's page (not on that page itself). */
  openLink?: boolean;
  children?: ReactNode;
}) {
  const t = useT(deviceMessages);
  const ids = useId();
  const sample = useSampleTarget(tenantId, sampleAssetId);
  const [kind, setKind] = useState<SnippetKind>("mosquitto");
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const target = sample.data ?? PLACEHOLDER_TARGET;
  const words = {
    orgBucket: t("code.orgBucket"),
    sends: t("code.sends"),
    telegrafInputs: t("code.telegrafInputs", { measurement: target.measurement, asset: target.asset }),
    keepTime: t("code.keepTime"),
    required: t("code.required"),
    mqtt: t("code.mqtt"),
    curl: t("code.curl"),
  };
  const snippet = buildSnippet(kind, issued, target, words);
  const name = t(`snippet.${kind}`);

  const onTabKey = (event: KeyboardEvent) => {
    const at = SNIPPET_KINDS.indexOf(kind);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = SNIPPET_KINDS[(at + step + SNIPPET_KINDS.length) % SNIPPET_KINDS.length] ?? kind;
    setKind(next);
    tabs.current[next]?.focus();
  };

  return (
    <section className="issued" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("issued.title", { device: device.name })}</h2>
      <p className="notice notice-warning">{t("issued.once")}</p>
      <div className="issued-secret">
        <label htmlFor={`${ids}-token`}>{t("issued.token")}</label>
        <div className="copy-row">
          <input id={`${ids}-token`} className="secret" readOnly value={issued.secret} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={issued.secret} label={t("issued.copyToken")} />
        </div>
        <label htmlFor={`${ids}-username`}>{t("issued.username")}</label>
        <input id={`${ids}-username`} className="secret" readOnly value={issued.mqttUsername} />
      </div>
      {children}
      <h3>{t("issued.snippets")}</h3>
      <p className="hint">{sampleAssetId ? t("issued.snippetsHint", { asset: target.asset }) : t("issued.snippetsNoAsset")}</p>
      <div role="tablist" aria-label={t("snippet.tabs")} className="snippet-tabs">
        {SNIPPET_KINDS.map((k) => (
          <button
            key={k}
            ref={(el) => {
              tabs.current[k] = el;
            }}
            type="button"
            role="tab"
            id={`${ids}-tab-${k}`}
            aria-selected={k === kind}
            aria-controls={`${ids}-panel`}
            tabIndex={k === kind ? 0 : -1}
            onClick={() => setKind(k)}
            onKeyDown={onTabKey}
          >
            {t(`snippet.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${kind}`} className="snippet-panel">
        <pre data-snippet={kind} aria-busy={sample.isPending && sampleAssetId ? true : undefined}>
          <code>{snippet}</code>
        </pre>
        <CopyButton text={snippet} label={t("issued.copySnippet", { name })} />
      </div>
      <p className="issued-actions">
        {openLink && (
          <Link to="/devices/$deviceId" params={{ deviceId: device.id }}>
            {t("issued.open", { device: device.name })}
          </Link>
        )}
        <button type="button" onClick={onDismiss}>
          {t("issued.dismiss")}
        </button>
      </p>
    </section>
  );
}
