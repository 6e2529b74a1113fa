variable "region" {
  description = "AWS region, e.g. eu-west-1."
  type        = string
  default     = "eu-west-1"
}

variable "instance_type" {
  description = "EC2 instance type. The whole stack (nginx, app, workers, PostgreSQL, Redis) shares it."
  type        = string
  default     = "t3.large"
}

variable "key_name" {
  description = "Name of an existing EC2 key pair for SSH (null: no SSH key; use SSM or the console)."
  type        = string
  default     = null
}

variable "allowed_cidr" {
  description = "Who may reach the service on port 8000, e.g. 203.0.113.7/32 (or 0.0.0.0/0 for a public service)."
  type        = string
  validation {
    condition     = can(cidrhost(var.allowed_cidr, 0))
    error_message = "allowed_cidr must be a CIDR block such as 203.0.113.7/32."
  }
}

variable "admin_cidr" {
  description = "Who may reach SSH (22), through which the JobRunr dashboard and the mail UI are tunnelled (they listen on the VM's loopback). Required, e.g. your own address 203.0.113.7/32; 0.0.0.0/0 needs allow_public_admin = true."
  type        = string
  validation {
    condition     = can(cidrhost(var.admin_cidr, 0))
    error_message = "admin_cidr must be a CIDR block such as 203.0.113.7/32."
  }
}

variable "allow_public_admin" {
  description = "Let admin_cidr be the whole internet (0.0.0.0/0 or ::/0). Off: SSH open to everyone is a choice to make on purpose."
  type        = bool
  default     = false
}

variable "repo_url" {
  description = "Git URL the VM clones the project from (must be reachable from the VM, e.g. an HTTPS URL with a read token, or a public mirror)."
  type        = string
}

variable "repo_ref" {
  description = "Branch, tag or commit to deploy."
  type        = string
  default     = "main"
}

variable "workers" {
  description = "How many worker containers compose runs (docker compose up --scale worker=N)."
  type        = number
  default     = 1
}

variable "disk_size_gb" {
  description = "Root volume size: images, PostgreSQL data and every uploaded and converted file live on it."
  type        = number
  default     = 50
}

variable "name" {
  description = "Name prefix for the AWS resources."
  type        = string
  default     = "cct"
}

# --- files: the VM's disk, or an S3 bucket ---

variable "storage_backend" {
  description = "Where the files live: \"folder\" (a volume on the VM's disk) or \"s3\" (a private S3 bucket created here, reached with the VM's instance profile; the disk keeps only the database and uploads in progress)."
  type        = string
  default     = "folder"
  validation {
    condition     = contains(["folder", "s3"], var.storage_backend)
    error_message = "storage_backend is \"folder\" or \"s3\"."
  }
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
  description = "CCT_USER_STREAMS: open event streams per account."
  type        = number
  default     = 10
}

variable "user_running_tasks" {
  description = "CCT_USER_RUNNING_TASKS: conversions one account runs at once while another account waits (0: no fair share)."
  type        = number
  default     = 1
}
