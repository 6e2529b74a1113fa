variable "project_id" {
  description = "GCP project id."
  type        = string
}

variable "region" {
  description = "Region (same as database/)."
  type        = string
  default     = "europe-west1"
}

variable "network" {
  description = "VPC name: output `network` of database/."
  type        = string
}

variable "subnetwork" {
  description = "Subnetwork of the web VMs (null: the network's subnet in the region)."
  type        = string
  default     = null
}

# --- from database/, redis/, nfs/ ---

variable "jdbc_url" {
  description = "Output `jdbc_url` of database/."
  type        = string
}

variable "db_user" {
  description = "Output `db_user` of database/."
  type        = string
}

variable "db_password" {
  description = "Output `db_password` of database/."
  type        = string
  sensitive   = true
}

variable "redis_url" {
  description = "Output `redis_url` of redis/."
  type        = string
  sensitive   = true
}

# --- files: the nfs/ share, or the bucket/ bucket ---

variable "storage_backend" {
  description = "Where the files live: \"nfs\" (the nfs/ file server, mounted by every VM) or \"gcs\" (the bucket/ bucket through its S3 API; nothing shared but the network)."
  type        = string
  default     = "nfs"
  validation {
    condition     = contains(["nfs", "gcs"], var.storage_backend)
    error_message = "storage_backend is \"nfs\" or \"gcs\"."
  }
}

variable "nfs_server" {
  description = "Output `nfs_server` of nfs/ (storage_backend nfs)."
  type        = string
  default     = ""
}

variable "nfs_export" {
  description = "Output `nfs_export` of nfs/."
  type        = string
  default     = "/srv/cct"
}

variable "s3_bucket" {
  description = "Output `s3_bucket` of bucket/ (storage_backend gcs)."
  type        = string
  default     = ""
}

variable "s3_access_key" {
  description = "Output `s3_access_key` of bucket/ (storage_backend gcs): the HMAC key's access id."
  type        = string
  default     = ""
  sensitive   = true
}

variable "s3_secret_key" {
  description = "Output `s3_secret_key` of bucket/ (storage_backend gcs): the HMAC key's secret."
  type        = string
  default     = ""
  sensitive   = true
}

# --- what runs ---

variable "repo_url" {
  description = "Git URL the VMs clone the project from (compose.yaml, nginx/, and the sources when no image is given)."
  type        = string
}

variable "repo_ref" {
  description = "Branch, tag or commit to deploy."
  type        = string
  default     = "main"
}

variable "app_image" {
  description = "Prebuilt web image (e.g. europe-west1-docker.pkg.dev/PROJECT/cct/app:1.0); empty: each VM builds app/Dockerfile."
  type        = string
  default     = ""
}

variable "max_upload_size" {
  description = "CCT_MAX_UPLOAD_SIZE (Spring DataSize). nginx/nginx.conf's client_max_body_size must allow it."
  type        = string
  default     = "1GB"
}

variable "retention" {
  description = "CCT_RETENTION: how long finished tasks and their files are kept (0 keeps forever)."
  type        = string
  default     = "7d"
}

# --- fair use: per-account limits (README "Fair use") ---

variable "user_active_tasks" {
  description = "CCT_USER_ACTIVE_TASKS: unfinished tasks per account."
  type        = number
  default     = 10
}

variable "user_storage_quota" {
  description = "CCT_USER_STORAGE_QUOTA: bytes of originals and results an account keeps (Spring DataSize)."
  type        = string
  default     = "10GB"
}

variable "user_uploads_per_hour" {
  description = "CCT_USER_UPLOADS_PER_HOUR: uploads per account in any hour."
  type        = number
  default     = 200
}

variable "user_streams" {
  description = "CCT_USER_STREAMS: open event streams per account on one web VM."
  type        = number
  default     = 10
}

variable "dashboard_username" {
  description = "JobRunr dashboard user (the password is generated; see outputs)."
  type        = string
  default     = "admin"
}

variable "domain" {
  description = "Optional DNS name pointing at the load balancer's address: adds HTTPS with a Google-managed certificate."
  type        = string
  default     = ""
}

# --- size ---

variable "machine_type" {
  description = "Web VM type."
  type        = string
  default     = "e2-standard-2"
}

variable "min_replicas" {
  description = "Fewest web VMs."
  type        = number
  default     = 1
}

variable "max_replicas" {
  description = "Most web VMs."
  type        = number
  default     = 3
}

variable "cpu_target" {
  description = "Average CPU utilisation (0-1) the autoscaler keeps the web VMs at."
  type        = number
  default     = 0.6
}
