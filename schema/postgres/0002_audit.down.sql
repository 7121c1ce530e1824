DROP TRIGGER audit_log_append_only ON audit_log;
DROP FUNCTION tafel_refuse_change();
DROP TABLE audit_log;
