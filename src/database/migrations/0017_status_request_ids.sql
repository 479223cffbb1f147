ALTER TABLE "firmware_updates" ADD COLUMN IF NOT EXISTS "request_id" integer;--> statement-breakpoint
ALTER TABLE "diagnostics_requests" ADD COLUMN IF NOT EXISTS "request_id" integer;
