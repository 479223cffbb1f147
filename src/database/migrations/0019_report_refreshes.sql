CREATE TABLE IF NOT EXISTS "report_refreshes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"report" text NOT NULL,
	"request_id" integer NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	CONSTRAINT "report_refreshes_key" UNIQUE("station_id","report","request_id")
);
--> statement-breakpoint
ALTER TABLE "report_refreshes" ADD CONSTRAINT "report_refreshes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_refreshes" ADD CONSTRAINT "report_refreshes_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "report_refreshes" ("tenant_id", "station_id", "report", "request_id", "requested_at")
	SELECT "tenant_id", "station_id", 'display_messages', "request_id", "requested_at" FROM "display_message_refreshes";--> statement-breakpoint
INSERT INTO "report_refreshes" ("tenant_id", "station_id", "report", "request_id", "requested_at")
	SELECT "tenant_id", "station_id", 'monitoring', "request_id", "requested_at" FROM "monitoring_report_refreshes";--> statement-breakpoint
DROP TABLE "display_message_refreshes";--> statement-breakpoint
DROP TABLE "monitoring_report_refreshes";
