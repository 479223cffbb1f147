CREATE SEQUENCE "public"."charging_transaction_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "charging_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"connector_id" integer NOT NULL,
	"user_id" uuid,
	"id_tag" text NOT NULL,
	"status" text NOT NULL,
	"origin" text NOT NULL,
	"transaction_id" integer,
	"concurrent_id_tag" boolean DEFAULT false NOT NULL,
	"meter_start_wh" bigint,
	"meter_stop_wh" bigint,
	"last_energy_wh" bigint,
	"last_power_w" double precision,
	"last_soc_percent" double precision,
	"last_meter_at" timestamp with time zone,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"stop_reason" text,
	"failure_reason" text,
	"stop_id_tag" text,
	"transaction_data" jsonb,
	"tariff_id" uuid,
	"tariff_snapshot" jsonb,
	"idempotency_key" text,
	"request_fingerprint" text,
	"order_number" text,
	"currency" text,
	"cost_lines" jsonb,
	"net_minor" integer,
	"tax_minor" integer,
	"total_minor" integer,
	"payment_status" text,
	"settled_at" timestamp with time zone,
	"anomaly_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meter_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"measurand" text NOT NULL,
	"phase" text,
	"location" text,
	"context" text NOT NULL,
	"unit" text NOT NULL,
	"value" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_anomalies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"session_id" uuid,
	"transaction_id" integer,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD CONSTRAINT "charging_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD CONSTRAINT "charging_sessions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charging_sessions" ADD CONSTRAINT "charging_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_values" ADD CONSTRAINT "meter_values_session_id_charging_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."charging_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_anomalies" ADD CONSTRAINT "session_anomalies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_anomalies" ADD CONSTRAINT "session_anomalies_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_anomalies" ADD CONSTRAINT "session_anomalies_session_id_charging_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."charging_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_live_connector_key" ON "charging_sessions" USING btree ("station_id","connector_id") WHERE "charging_sessions"."status" in ('pending', 'active');--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_live_id_tag_key" ON "charging_sessions" USING btree ("tenant_id","id_tag") WHERE "charging_sessions"."status" in ('pending', 'active') and "charging_sessions"."concurrent_id_tag" = false;--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_transaction_id_key" ON "charging_sessions" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_order_number_key" ON "charging_sessions" USING btree ("order_number");--> statement-breakpoint
CREATE UNIQUE INDEX "charging_sessions_idempotency_key" ON "charging_sessions" USING btree ("tenant_id","idempotency_key") WHERE "charging_sessions"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "charging_sessions_tenant_requested_idx" ON "charging_sessions" USING btree ("tenant_id","requested_at","id");--> statement-breakpoint
CREATE INDEX "charging_sessions_user_requested_idx" ON "charging_sessions" USING btree ("user_id","requested_at");--> statement-breakpoint
CREATE INDEX "charging_sessions_station_requested_idx" ON "charging_sessions" USING btree ("station_id","requested_at");--> statement-breakpoint
CREATE INDEX "charging_sessions_pending_idx" ON "charging_sessions" USING btree ("requested_at") WHERE "charging_sessions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "meter_values_session_at_idx" ON "meter_values" USING btree ("session_id","at");--> statement-breakpoint
CREATE INDEX "session_anomalies_session_idx" ON "session_anomalies" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_anomalies_tenant_idx" ON "session_anomalies" USING btree ("tenant_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "session_anomalies_unknown_stop_key" ON "session_anomalies" USING btree ("station_id","transaction_id") WHERE "session_anomalies"."kind" = 'unknown_transaction_stop';