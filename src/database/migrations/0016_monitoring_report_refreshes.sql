ALTER TABLE "station_monitors" ADD COLUMN IF NOT EXISTS "report_request_id" integer;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "monitoring_report_refreshes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"request_id" integer NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	CONSTRAINT "monitoring_report_refreshes_key" UNIQUE("station_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "monitoring_report_refreshes" ADD CONSTRAINT "monitoring_report_refreshes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_report_refreshes" ADD CONSTRAINT "monitoring_report_refreshes_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;
