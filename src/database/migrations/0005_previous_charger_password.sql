ALTER TABLE "stations" ADD COLUMN "previous_password_hash" text;
