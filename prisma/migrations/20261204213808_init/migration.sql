-- CreateEnum
CREATE TYPE "dataset_kind" AS ENUM ('idx', 'cifar10', 'image-folder');

-- CreateEnum
CREATE TYPE "teacher_source" AS ENUM ('zoo', 'imported-model', 'imported-logits', 'ensemble');

-- CreateEnum
CREATE TYPE "teacher_status" AS ENUM ('pending', 'training', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "search_strategy" AS ENUM ('policy-gradient', 'evolution', 'random');

-- CreateEnum
CREATE TYPE "search_by" AS ENUM ('distillation', 'hard-label');

-- CreateEnum
CREATE TYPE "latency_model" AS ENUM ('table', 'measured', 'flops');

-- CreateEnum
CREATE TYPE "latency_source" AS ENUM ('worker', 'browser');

-- CreateEnum
CREATE TYPE "experiment_status" AS ENUM ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "candidate_status" AS ENUM ('pending', 'training', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('pending', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "distillation_method" AS ENUM ('hard-label', 'hinton', 'cc', 'ta', 'rco');

-- CreateEnum
CREATE TYPE "study_kind" AS ENUM ('similarity', 'ranking', 'ablation', 'kd-friendliness', 'structure', 'proxy-fidelity');

-- CreateEnum
CREATE TYPE "api_role" AS ENUM ('reader', 'editor');

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "dataset_kind" NOT NULL,
    "directory" TEXT NOT NULL,
    "input_height" INTEGER NOT NULL,
    "input_width" INTEGER NOT NULL,
    "input_channels" INTEGER NOT NULL,
    "num_classes" INTEGER NOT NULL,
    "class_names" JSONB NOT NULL,
    "train_count" INTEGER NOT NULL,
    "test_count" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teachers" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source" "teacher_source" NOT NULL,
    "family" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "training_settings" JSONB NOT NULL,
    "status" "teacher_status" NOT NULL DEFAULT 'pending',
    "test_accuracy" DOUBLE PRECISION,
    "test_top5" DOUBLE PRECISION,
    "params" BIGINT,
    "flops" BIGINT,
    "artifact_dir" TEXT,
    "checksums" JSONB,
    "members" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teachers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teacher_logits" (
    "id" UUID NOT NULL,
    "teacher_id" UUID NOT NULL,
    "split" TEXT NOT NULL,
    "index_fingerprint" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "classes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "teacher_logits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "latency_profiles" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "input_shape" JSONB NOT NULL,
    "table" JSONB NOT NULL,
    "flops_fit" JSONB,
    "measured_at" TIMESTAMPTZ(3) NOT NULL,
    "source" "latency_source" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "latency_profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiments" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "dataset_id" UUID NOT NULL,
    "teacher_id" UUID,
    "strategy" "search_strategy" NOT NULL,
    "strategy_options" JSONB NOT NULL,
    "search_by" "search_by" NOT NULL,
    "latency_model" "latency_model" NOT NULL,
    "latency_profile_id" UUID,
    "latency_target_ms" DOUBLE PRECISION NOT NULL,
    "reward_alpha" DOUBLE PRECISION NOT NULL,
    "reward_beta" DOUBLE PRECISION NOT NULL,
    "search_space" JSONB NOT NULL,
    "proxy_settings" JSONB NOT NULL,
    "kd_settings" JSONB NOT NULL,
    "budget" INTEGER NOT NULL,
    "generation_size" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" "experiment_status" NOT NULL DEFAULT 'queued',
    "strategy_state" JSONB,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generations" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "reward_mean" DOUBLE PRECISION,
    "reward_max" DOUBLE PRECISION,
    "reward_min" DOUBLE PRECISION,
    "accuracy_mean" DOUBLE PRECISION,
    "entropy" DOUBLE PRECISION,
    "strategy_metrics" JSONB,
    "status" "job_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "generations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candidates" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "generation" INTEGER NOT NULL,
    "genome" JSONB NOT NULL,
    "genome_hash" TEXT NOT NULL,
    "params" BIGINT NOT NULL,
    "flops" BIGINT NOT NULL,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "latency_model" "latency_model" NOT NULL,
    "proxy_accuracy" DOUBLE PRECISION,
    "proxy_top5" DOUBLE PRECISION,
    "reward" DOUBLE PRECISION,
    "status" "candidate_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "train_ms" INTEGER,
    "backend" TEXT,
    "host" TEXT,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "candidates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trained_models" (
    "id" UUID NOT NULL,
    "candidate_id" UUID,
    "teacher_id" UUID,
    "experiment_id" UUID,
    "method" "distillation_method" NOT NULL,
    "epochs" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "test_top1" DOUBLE PRECISION,
    "test_top5" DOUBLE PRECISION,
    "latency_ms" DOUBLE PRECISION,
    "params" BIGINT,
    "flops" BIGINT,
    "artifact_dir" TEXT,
    "status" "job_status" NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trained_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "studies" (
    "id" UUID NOT NULL,
    "kind" "study_kind" NOT NULL,
    "name" TEXT NOT NULL,
    "dataset_id" UUID NOT NULL,
    "config" JSONB NOT NULL,
    "status" "job_status" NOT NULL DEFAULT 'pending',
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "studies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "study_cells" (
    "id" UUID NOT NULL,
    "study_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "status" "job_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "study_cells_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workers" (
    "id" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "backend" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "current_job" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "role" "api_role" NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_fingerprint_key" ON "datasets"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "teachers_dataset_id_name_key" ON "teachers"("dataset_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "teacher_logits_teacher_id_split_index_fingerprint_key" ON "teacher_logits"("teacher_id", "split", "index_fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "latency_profiles_name_key" ON "latency_profiles"("name");

-- CreateIndex
CREATE INDEX "experiments_dataset_id_idx" ON "experiments"("dataset_id");

-- CreateIndex
CREATE INDEX "experiments_teacher_id_idx" ON "experiments"("teacher_id");

-- CreateIndex
CREATE INDEX "experiments_latency_profile_id_idx" ON "experiments"("latency_profile_id");

-- CreateIndex
CREATE INDEX "experiments_status_idx" ON "experiments"("status");

-- CreateIndex
CREATE UNIQUE INDEX "generations_experiment_id_index_key" ON "generations"("experiment_id", "index");

-- CreateIndex
CREATE INDEX "candidates_experiment_id_reward_idx" ON "candidates"("experiment_id", "reward" DESC);

-- CreateIndex
CREATE INDEX "candidates_experiment_id_status_idx" ON "candidates"("experiment_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "candidates_experiment_id_genome_hash_key" ON "candidates"("experiment_id", "genome_hash");

-- CreateIndex
CREATE INDEX "trained_models_candidate_id_idx" ON "trained_models"("candidate_id");

-- CreateIndex
CREATE INDEX "trained_models_teacher_id_idx" ON "trained_models"("teacher_id");

-- CreateIndex
CREATE INDEX "trained_models_experiment_id_idx" ON "trained_models"("experiment_id");

-- CreateIndex
CREATE INDEX "studies_dataset_id_idx" ON "studies"("dataset_id");

-- CreateIndex
CREATE INDEX "study_cells_study_id_status_idx" ON "study_cells"("study_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "study_cells_study_id_key_key" ON "study_cells"("study_id", "key");

-- CreateIndex
CREATE INDEX "workers_heartbeat_at_idx" ON "workers"("heartbeat_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- AddForeignKey
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "teacher_logits" ADD CONSTRAINT "teacher_logits_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "teachers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "teachers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_latency_profile_id_fkey" FOREIGN KEY ("latency_profile_id") REFERENCES "latency_profiles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generations" ADD CONSTRAINT "generations_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "teachers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "studies" ADD CONSTRAINT "studies_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "study_cells" ADD CONSTRAINT "study_cells_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "studies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
