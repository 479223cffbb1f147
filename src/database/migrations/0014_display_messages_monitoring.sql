CREATE TABLE IF NOT EXISTS "station_display_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"message_id" integer NOT NULL,
	"priority" text NOT NULL,
	"state" text,
	"start_date_time" timestamp with time zone,
	"end_date_time" timestamp with time zone,
	"transaction_id" text,
	"format" text NOT NULL,
	"language" text,
	"content" text NOT NULL,
	"display" jsonb,
	"status" text NOT NULL,
	"report_request_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_display_messages_key" UNIQUE("station_id","message_id")
);
--> statement-breakpoint
ALTER TABLE "station_display_messages" ADD CONSTRAINT "station_display_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_display_messages" ADD CONSTRAINT "station_display_messages_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "display_message_refreshes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"request_id" integer NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	CONSTRAINT "display_message_refreshes_key" UNIQUE("station_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "display_message_refreshes" ADD CONSTRAINT "display_message_refreshes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "display_message_refreshes" ADD CONSTRAINT "display_message_refreshes_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "station_monitors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"monitor_id" integer,
	"component_name" text NOT NULL,
	"component_instance" text,
	"evse_id" integer,
	"connector_id" integer,
	"variable_name" text NOT NULL,
	"variable_instance" text,
	"type" text NOT NULL,
	"value" double precision NOT NULL,
	"severity" integer NOT NULL,
	"transaction" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"status_info" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_monitors_key" UNIQUE("station_id","monitor_id")
);
--> statement-breakpoint
ALTER TABLE "station_monitors" ADD CONSTRAINT "station_monitors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_monitors" ADD CONSTRAINT "station_monitors_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "station_monitoring_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"event_id" integer NOT NULL,
	"timestamp" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"actual_value" text NOT NULL,
	"component_name" text NOT NULL,
	"component_instance" text,
	"evse_id" integer,
	"connector_id" integer,
	"variable_name" text NOT NULL,
	"variable_instance" text,
	"cause" integer,
	"tech_code" text,
	"tech_info" text,
	"cleared" boolean,
	"transaction_id" text,
	"variable_monitoring_id" integer,
	"event_notification_type" text NOT NULL,
	"severity" integer
);
--> statement-breakpoint
ALTER TABLE "station_monitoring_events" ADD CONSTRAINT "station_monitoring_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_monitoring_events" ADD CONSTRAINT "station_monitoring_events_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "station_monitoring_events_station_idx" ON "station_monitoring_events" USING btree ("station_id","received_at" DESC,"id" DESC);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "station_monitoring_events_received_idx" ON "station_monitoring_events" USING btree ("received_at");
