-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "metrics" JSONB,
ALTER COLUMN "latency_ms" DROP NOT NULL;

-- AlterTable
ALTER TABLE "generations" ADD COLUMN     "candidate_ids" JSONB,
ADD COLUMN     "proposals" JSONB,
ADD COLUMN     "rng_state" JSONB,
ADD COLUMN     "stats" JSONB;
