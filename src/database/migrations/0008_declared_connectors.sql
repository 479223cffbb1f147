ALTER TABLE "connectors" ADD COLUMN "evse_id" integer;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "standard" text;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "format" text;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "power_type" text;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "max_voltage_v" integer;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "max_amperage_a" integer;--> statement-breakpoint
ALTER TABLE "connectors" ALTER COLUMN "status" SET DEFAULT 'Unknown';--> statement-breakpoint
UPDATE "connectors" SET "status" = 'Unknown' WHERE "status_at" IS NULL AND "status" = 'Unavailable';
