CREATE TABLE IF NOT EXISTS "station_variables" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"component_name" text NOT NULL,
	"component_instance" text,
	"evse_id" integer,
	"connector_id" integer,
	"variable_name" text NOT NULL,
	"variable_instance" text,
	"attribute_type" text DEFAULT 'Actual' NOT NULL,
	"value" text,
	"mutability" text,
	"persistent" boolean,
	"constant" boolean,
	"characteristics" jsonb,
	"last_set_status" text,
	"last_set_value" text,
	"last_set_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_variables_key" UNIQUE NULLS NOT DISTINCT("station_id","component_name","component_instance","evse_id","connector_id","variable_name","variable_instance","attribute_type")
);
--> statement-breakpoint
ALTER TABLE "station_variables" ADD CONSTRAINT "station_variables_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_variables" ADD CONSTRAINT "station_variables_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;
