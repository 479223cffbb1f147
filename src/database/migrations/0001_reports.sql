CREATE TABLE "station_presence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"connected_at" timestamp with time zone NOT NULL,
	"disconnected_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "station_presence" ADD CONSTRAINT "station_presence_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_presence" ADD CONSTRAINT "station_presence_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "station_presence_tenant_connected_idx" ON "station_presence" USING btree ("tenant_id","connected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "station_presence_open_key" ON "station_presence" USING btree ("station_id") WHERE "station_presence"."disconnected_at" is null;--> statement-breakpoint
CREATE INDEX "charging_sessions_tenant_began_idx" ON "charging_sessions" USING btree ("tenant_id",coalesce("started_at", "requested_at"));