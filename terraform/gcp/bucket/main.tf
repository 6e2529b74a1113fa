# The files in a Cloud Storage bucket instead of the nfs/ file server (storage_backend = "gcs" in
# web/ and worker/): the web VMs stream uploads into it, the workers copy each input to a local
# scratch folder, convert there and upload the result, so no VM mounts a shared disk. The processes
# reach the bucket through Cloud Storage's S3-compatible XML API (CCT_STORAGE_BACKEND=s3) with an
# HMAC key of a service account of its own, which may do nothing but read and write this bucket's
# objects. Apply this folder instead of nfs/, not beside it.

resource "google_project_service" "storage" {
  project            = var.project_id
  service            = "storage.googleapis.com"
  disable_on_destroy = false
}

resource "google_storage_bucket" "files" {
  name     = local.bucket_name
  project  = var.project_id
  location = var.location != "" ? var.location : upper(var.region)
  # Uploads and results live here: a mistaken destroy must not take them (empty it by hand first).
  force_destroy = false

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # Objects are written once and replaced or deleted by the service itself (results, retention):
  # old versions would only cost money.
  versioning {
    enabled = false
  }

  # Multipart uploads cut off by a crash leave parts behind that nobody will finish.
  lifecycle_rule {
    condition {
      age = 2
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  lifecycle {
    prevent_destroy = true
  }

  depends_on = [google_project_service.storage]
}

resource "google_service_account" "files" {
  account_id   = "cct-files"
  display_name = "Cloud Conversion Tool files (HMAC key of the web and worker VMs)"
}

# Objects only, on this bucket only: the key cannot list other buckets or change this one's settings.
resource "google_storage_bucket_iam_member" "files" {
  bucket = google_storage_bucket.files.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.files.email}"
}

resource "google_storage_hmac_key" "files" {
  service_account_email = google_service_account.files.email
  project               = var.project_id
}

locals {
  bucket_name = var.bucket_name != "" ? var.bucket_name : "${var.project_id}-cct-files"
}
