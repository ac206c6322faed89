-- Grants, revocations and ledger entries are the record of money owed: rows are added, never
-- changed or removed. A revocation is a new row and a compensating ledger entry.
CREATE FUNCTION "refuse_reward_record_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "reward_grants_append_only" BEFORE UPDATE OR DELETE ON "reward_grants"
  FOR EACH ROW EXECUTE FUNCTION "refuse_reward_record_change"();
--> statement-breakpoint
CREATE TRIGGER "reward_grants_no_truncate" BEFORE TRUNCATE ON "reward_grants"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_reward_record_change"();
--> statement-breakpoint
CREATE TRIGGER "reward_revocations_append_only" BEFORE UPDATE OR DELETE ON "reward_revocations"
  FOR EACH ROW EXECUTE FUNCTION "refuse_reward_record_change"();
--> statement-breakpoint
CREATE TRIGGER "reward_revocations_no_truncate" BEFORE TRUNCATE ON "reward_revocations"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_reward_record_change"();
--> statement-breakpoint
CREATE TRIGGER "reward_ledger_append_only" BEFORE UPDATE OR DELETE ON "reward_ledger"
  FOR EACH ROW EXECUTE FUNCTION "refuse_reward_record_change"();
--> statement-breakpoint
CREATE TRIGGER "reward_ledger_no_truncate" BEFORE TRUNCATE ON "reward_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_reward_record_change"();
