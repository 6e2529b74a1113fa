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

variable "nfs_server" {
  description = "Output `nfs_server` of nfs/."
  type        = string
}

variable "nfs_export" {
  description = "Output `nfs_export` of nfs/."
  type        = string
  default     = "/srv/cct"
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
  description = "true: an autoscaler keeps CPU near cpu_target between min_workers and max_workers. false: exactly worker_count VMs."
  type        = bool
  default     = true
}

variable "worker_count" {
  description = "Number of worker VMs when autoscaling is false."
  type        = number
  default     = 2
}

variable "min_workers" {
  description = "Fewest worker VMs (autoscaling)."
  type        = number
  default     = 1
}

variable "max_workers" {
  description = "Most worker VMs (autoscaling)."
  type        = number
  default     = 10
}

variable "cpu_target" {
  description = "Average CPU utilisation (0-1) the autoscaler aims at."
  type        = number
  default     = 0.7
}
