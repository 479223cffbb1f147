ALTER TABLE "issued_certificates" ADD COLUMN IF NOT EXISTS "revoked_at" timestamp with time zone;
