CREATE TABLE IF NOT EXISTS "charger_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"action" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "charger_notifications" ADD CONSTRAINT "charger_notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charger_notifications" ADD CONSTRAINT "charger_notifications_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "charger_notifications_station_received_idx" ON "charger_notifications" USING btree ("station_id","received_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "charger_notifications_received_idx" ON "charger_notifications" USING btree ("received_at");
