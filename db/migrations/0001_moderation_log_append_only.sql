-- The moderation log is evidence: rows are added, never changed or removed.
CREATE FUNCTION "refuse_moderation_log_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_log is append-only (% refused)', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "moderation_log_append_only"
  BEFORE UPDATE OR DELETE ON "moderation_log"
  FOR EACH ROW EXECUTE FUNCTION "refuse_moderation_log_change"();
--> statement-breakpoint
CREATE TRIGGER "moderation_log_no_truncate"
  BEFORE TRUNCATE ON "moderation_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_moderation_log_change"();
