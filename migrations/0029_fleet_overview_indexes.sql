-- The fleet overview (src/telemetry/fleet.ts): its NAME order walks assets by lower(name) and
-- stops after a page; every other order reads each asset's latest remaining-life prediction,
-- which the second index finds in one probe however many predictions the asset has.
CREATE INDEX "assets_name_idx" ON "assets" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint

CREATE INDEX "asset_predictions_latest_idx" ON "asset_predictions" USING btree ("tenant_id","asset_id","task","id");
