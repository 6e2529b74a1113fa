# The worker VMs' secrets live in Secret Manager, not in the instance metadata: the startup script
# fetches them with the VM's service account. They still pass through the Terraform state.

locals {
  with_smtp_password = !nonsensitive(var.smtp_password == "")
  worker_secrets = {
    "cct-worker-db-password"   = var.db_password
    "cct-worker-redis-url"     = var.redis_url
    "cct-worker-smtp-password" = var.smtp_password
    "cct-worker-s3-access-key" = var.s3_access_key
    "cct-worker-s3-secret-key" = var.s3_secret_key
  }
  worker_secret_names = concat(["cct-worker-db-password", "cct-worker-redis-url"],
    local.with_smtp_password ? ["cct-worker-smtp-password"] : [],
  local.gcs ? ["cct-worker-s3-access-key", "cct-worker-s3-secret-key"] : [])
}

resource "google_project_service" "secretmanager" {
  project            = var.project_id
  service            = "secretmanager.googleapis.com"
  disable_on_destroy = false
}

resource "google_secret_manager_secret" "worker" {
  for_each  = toset(local.worker_secret_names)
  project   = var.project_id
  secret_id = each.value
  replication {
    auto {}
  }
  depends_on = [google_project_service.secretmanager]
}

resource "google_secret_manager_secret_version" "worker" {
  for_each    = google_secret_manager_secret.worker
  secret      = each.value.id
  secret_data = local.worker_secrets[each.key]
}

resource "google_secret_manager_secret_iam_member" "worker" {
  for_each  = google_secret_manager_secret.worker
  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.worker.email}"
}
