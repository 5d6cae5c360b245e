-- CreateIndex
CREATE INDEX "candidates_status_proxy_accuracy_latency_ms_id_idx" ON "candidates"("status", "proxy_accuracy" DESC, "latency_ms", "id");
