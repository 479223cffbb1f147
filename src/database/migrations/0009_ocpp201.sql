ALTER TABLE "stations" ADD COLUMN "ocpp_version" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "ocpp_versions" text[];--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD COLUMN "charger_transaction_id" text;--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD COLUMN "remote_start_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_charger_transaction_key" ON "charging_sessions" USING btree ("station_id","charger_transaction_id") WHERE "charging_sessions"."charger_transaction_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_remote_start_key" ON "charging_sessions" USING btree ("remote_start_id") WHERE "charging_sessions"."remote_start_id" is not null;--> statement-breakpoint
DROP INDEX "charging_sessions_live_id_tag_key";--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_live_id_tag_key" ON "charging_sessions" USING btree ("tenant_id","id_tag") WHERE "charging_sessions"."status" in ('pending', 'active') and "charging_sessions"."concurrent_id_tag" = false and "charging_sessions"."id_tag" <> '';
