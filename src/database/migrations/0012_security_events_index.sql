CREATE INDEX IF NOT EXISTS "charger_notifications_security_idx" ON "charger_notifications" USING btree ("station_id","received_at","id") WHERE action = 'SecurityEventNotification';
