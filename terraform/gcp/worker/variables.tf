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
  description = "Subnetwork of the worker VMs (null: the network's subnet in the region)."
  type        = string
  default     = null
}

# --- from database/, redis/, nfs/, web/ ---

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

variable "public_url" {
  description = "Output `public_url` of web/: base of the links in the notification mails."
  type        = string
}

# --- mail (empty smtp_host: mails are only logged) ---

variable "smtp_host" {
  description = "SMTP server (SPRING_MAIL_HOST); empty turns mail off."
  type        = string
  default     = ""
}

variable "smtp_port" {
  description = "SMTP port (SPRING_MAIL_PORT)."
  type        = number
  default     = 587
}

variable "smtp_username" {
  description = "SMTP user (SPRING_MAIL_USERNAME)."
  type        = string
  default     = ""
}

variable "smtp_password" {
  description = "SMTP password (SPRING_MAIL_PASSWORD)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "mail_from" {
  description = "Sender address of the notification mails (CCT_MAIL_FROM)."
  type        = string
  default     = "no-reply@example.com"
}

# --- what runs ---

variable "repo_url" {
  description = "Git URL the VMs clone the project from (process_files.sh, compose.worker.yaml, sources)."
  type        = string
}

variable "repo_ref" {
  description = "Branch, tag or commit to deploy."
  type        = string
  default     = "main"
}

variable "worker_image" {
  description = "Prebuilt worker image (e.g. europe-west1-docker.pkg.dev/PROJECT/cct/worker:1.0); empty: each VM builds app-worker/Dockerfile."
  type        = string
  default     = ""
}

variable "threads_per_vm" {
  description = "Conversions one VM runs at once (CCT_WORKER_COUNT); 0: one per core."
  type        = number
  default     = 0
}

variable "user_running_tasks" {
  description = "CCT_USER_RUNNING_TASKS: conversions one account runs at once while another account waits (0: no fair share)."
  type        = number
  default     = 1
}

variable "drain_timeout" {
  description = "CCT_DRAIN_TIMEOUT: on scale-in or replacement, running conversions may finish this long before they are handed to another VM. Keep it under the 85 s the shutdown script waits (Compute Engine gives a deleted VM about 90 s)."
  type        = string
  default     = "75s"
}

variable "max_job_duration" {
  description = "CCT_MAX_JOB_DURATION: a conversion running longer is killed and fails."
  type        = string
  default     = "30m"
}

# --- size: what devops turn ---

variable "machine_type" {
  description = "Worker VM type (ffmpeg is CPU-bound: compute-optimised types pay off)."
  type        = string
  default     = "e2-standard-4"
}

variable "autoscaling" {
  description = "true: an autoscaler sizes the group between min_workers and max_workers, on waiting jobs (jobs_waiting_per_vm) with CPU (cpu_target) as the fallback. false: exactly worker_count VMs."
  type        = bool
  default     = true
}

variable "worker_count" {
  description = "Number of worker VMs when autoscaling is false."
  type        = number
  default     = 2
}

variable "min_workers" {
  description = "Fewest worker VMs (autoscaling). At least 1: the queue metric comes from the workers themselves."
  type        = number
  default     = 1
  validation {
    condition     = var.min_workers >= 1
    error_message = "min_workers must be at least 1: with no worker running, nobody reports the queue and the group would never grow."
  }
}

variable "max_workers" {
  description = "Most worker VMs (autoscaling)."
  type        = number
  default     = 10
}

variable "jobs_waiting_per_vm" {
  description = "The autoscaling target devops set: waiting jobs (queued conversions no worker thread has taken yet) per worker VM. The group grows to ceil(waiting / jobs_waiting_per_vm) VMs, within min_workers..max_workers; lower means more VMs sooner. 0: scale on CPU alone."
  type        = number
  default     = 4
  validation {
    condition     = var.jobs_waiting_per_vm >= 0
    error_message = "jobs_waiting_per_vm is a number of jobs, 0 or more."
  }
}

variable "cpu_target" {
  description = "Fallback policy: average CPU utilisation (0-1) the autoscaler also keeps under, so VMs busy converting are kept when nothing waits (the larger of the two recommendations wins)."
  type        = number
  default     = 0.7
}
