-- CreateTable
CREATE TABLE "experiment_candidate_counts" (
    "experiment_id" UUID NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "experiment_candidate_counts_pkey" PRIMARY KEY ("experiment_id")
);

-- AddForeignKey
ALTER TABLE "experiment_candidate_counts" ADD CONSTRAINT "experiment_candidate_counts_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The triggers below keep "experiment_candidate_counts" equal to the number of candidates of each
-- experiment. They run once per statement and read the statement's rows from a transition table, so
-- a multi-row INSERT updates each experiment's count once. The rows are locked in experiment id
-- order, so two statements that add candidates to the same experiments cannot deadlock. Candidates
-- never move to another experiment (ids are UUIDs and are never updated), so no UPDATE trigger is
-- needed.
CREATE FUNCTION "experiment_candidate_counts_insert"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "experiment_candidate_counts" ("experiment_id", "total")
  SELECT "experiment_id", count(*)::int FROM "inserted_candidates"
  GROUP BY "experiment_id" ORDER BY "experiment_id"
  ON CONFLICT ("experiment_id") DO UPDATE
    SET "total" = "experiment_candidate_counts"."total" + EXCLUDED."total";
  RETURN NULL;
END;
$$;

CREATE FUNCTION "experiment_candidate_counts_delete"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- When an experiment is deleted, the cascade may already have removed its count row, and then
  -- this updates nothing.
  UPDATE "experiment_candidate_counts" AS counts
  SET "total" = counts."total" - deleted."n"
  FROM (
    SELECT "experiment_id", count(*)::int AS "n" FROM "deleted_candidates"
    GROUP BY "experiment_id" ORDER BY "experiment_id"
  ) AS deleted
  WHERE counts."experiment_id" = deleted."experiment_id";
  RETURN NULL;
END;
$$;

CREATE FUNCTION "experiment_candidate_counts_truncate"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "experiment_candidate_counts";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "candidates_count_insert" AFTER INSERT ON "candidates"
REFERENCING NEW TABLE AS "inserted_candidates"
FOR EACH STATEMENT EXECUTE FUNCTION "experiment_candidate_counts_insert"();

CREATE TRIGGER "candidates_count_delete" AFTER DELETE ON "candidates"
REFERENCING OLD TABLE AS "deleted_candidates"
FOR EACH STATEMENT EXECUTE FUNCTION "experiment_candidate_counts_delete"();

CREATE TRIGGER "candidates_count_truncate" AFTER TRUNCATE ON "candidates"
FOR EACH STATEMENT EXECUTE FUNCTION "experiment_candidate_counts_truncate"();

-- Counts of the candidates that exist already.
INSERT INTO "experiment_candidate_counts" ("experiment_id", "total")
SELECT "experiment_id", count(*)::int FROM "candidates" GROUP BY "experiment_id";
