ALTER TABLE "diagnostics_requests" ADD COLUMN IF NOT EXISTS "log_type" text DEFAULT 'DiagnosticsLog' NOT NULL;
