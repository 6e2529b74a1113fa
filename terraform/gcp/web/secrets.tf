# The web VMs' secrets live in Secret Manager, not in the instance metadata (which anyone with
# compute.instances.get can read, and which is copied into every template): the startup script
# fetches them with the VM's service account. They still pass through the Terraform state, so keep
# the state in a protected bucket.

locals {
  web_secrets = {
    "cct-web-db-password"        = var.db_password
    "cct-web-redis-url"          = var.redis_url
    "cct-web-jwt-secret"         = random_password.jwt.result
    "cct-web-dashboard-password" = random_password.dashboard.result
    "cct-web-s3-access-key"      = var.s3_access_key
    "cct-web-s3-secret-key"      = var.s3_secret_key
  }
  web_secret_names = concat(["cct-web-db-password", "cct-web-redis-url", "cct-web-jwt-secret", "cct-web-dashboard-password"],
  local.gcs ? ["cct-web-s3-access-key", "cct-web-s3-secret-key"] : [])
}

resource "google_project_service" "secretmanager" {
  project            = var.project_id
  service            = "secretmanager.googleapis.com"
  disable_on_destroy = false
}

resource "google_secret_manager_secret" "web" {
  for_each  = toset(local.web_secret_names)
  project   = var.project_id
  secret_id = each.value
  replication {
    auto {}
  }
  depends_on = [google_project_service.secretmanager]
}

resource "google_secret_manager_secret_version" "web" {
  for_each    = google_secret_manager_secret.web
  secret      = each.value.id
  secret_data = local.web_secrets[each.key]
}

resource "google_secret_manager_secret_iam_member" "web" {
  for_each  = google_secret_manager_secret.web
  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.web.email}"
}
