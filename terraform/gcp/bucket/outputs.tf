output "storage_backend" {
  description = "Input `storage_backend` of web/ and worker/."
  value       = "gcs"
}

output "s3_bucket" {
  description = "Input `s3_bucket` of web/ and worker/ (CCT_S3_BUCKET)."
  value       = google_storage_bucket.files.name
}

output "s3_access_key" {
  description = "Input `s3_access_key` of web/ and worker/ (CCT_S3_ACCESS_KEY): the HMAC key's access id."
  value       = google_storage_hmac_key.files.access_id
}

output "s3_secret_key" {
  description = "Input `s3_secret_key` of web/ and worker/ (CCT_S3_SECRET_KEY): the HMAC key's secret."
  value       = google_storage_hmac_key.files.secret
  sensitive   = true
}
