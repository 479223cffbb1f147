CREATE TABLE "tariffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid,
	"site_id" uuid,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"energy_per_kwh_minor" integer NOT NULL,
	"time_per_hour_minor" integer DEFAULT 0 NOT NULL,
	"session_fee_minor" integer DEFAULT 0 NOT NULL,
	"idle_fee_per_minute_minor" integer DEFAULT 0 NOT NULL,
	"idle_grace_minutes" integer DEFAULT 0 NOT NULL,
	"time_of_use" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tax_rate_e4" integer DEFAULT 0 NOT NULL,
	"prices_include_tax" boolean DEFAULT false NOT NULL,
	"min_session_minor" integer,
	"max_session_minor" integer,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariffs_one_scope" CHECK ("tariffs"."station_id" is null or "tariffs"."site_id" is null)
);
--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tariffs_tenant_idx" ON "tariffs" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "tariffs_station_idx" ON "tariffs" USING btree ("station_id");--> statement-breakpoint
CREATE INDEX "tariffs_site_idx" ON "tariffs" USING btree ("site_id");