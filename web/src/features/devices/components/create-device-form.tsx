import "../styles.css";
import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { common, useT } from "../../../lib/i18n";
import { useCreateDevice } from "../api/create-device";
import type { IssuedSettings } from "../lib/snippets";
import { deviceMessages } from "../messages";
import { AssetChooser } from "./asset-chooser";

export interface CreatedDevice {
  readonly device: { readonly id: string; readonly name: string; readonly assetIds: readonly string[] };
  readonly issued: IssuedSettings;
}

const NAME_MAX = 200;

/** Name the device and choose its assets; the answer (with the token's secret) goes to `onCreated` only. */
export function CreateDeviceForm({
  tenantId,
  onCreated,
  onCancel,
}: {
  tenantId: string;
  onCreated: (created: CreatedDevice) => void;
  onCancel: () => void;
}) {
  const t = useT(deviceMessages);
  const tc = useT(common);
  const ids = useId();
  const create = useCreateDevice(tenantId);
  const [name, setName] = useState("");
  const [assetIds, setAssetIds] = useState<Set<string>>(new Set());
  const [nameError, setNameError] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const problem = trimmed === "" ? t("create.nameMissing") : [...trimmed].length > NAME_MAX ? t("create.nameTooLong") : undefined;
    setNameError(problem);
    if (problem) return;
    create.mutate(
      { name: trimmed, assetIds: [...assetIds] },
      {
        onSuccess: (created) => {
          create.reset();
          onCreated(created);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === "VALIDATION" && error.extensions.field === "name") setNameError(error.message);
        },
      },
    );
  };
  const nameRefused = create.error instanceof ApiError && create.error.extensions.field === "name";

  return (
    <form className="device-form" aria-labelledby={`${ids}-title`} onSubmit={submit} noValidate>
      <h2 id={`${ids}-title`}>{t("create.title")}</h2>
      {create.error && !nameRefused && <ErrorNotice error={create.error} title={t("create.error")} />}
      <Field
        label={t("create.name")}
        hint={t("create.nameHint")}
        value={name}
        maxLength={NAME_MAX}
        onChange={(e) => {
          setName(e.target.value);
          setNameError(undefined);
        }}
        error={nameError}
      />
      <AssetChooser tenantId={tenantId} selected={assetIds} onChange={setAssetIds} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t("create.pending") : t("create.submit")}
        </button>
        <button type="button" onClick={onCancel}>
          {tc("action.cancel")}
        </button>
      </div>
    </form>
  );
}
