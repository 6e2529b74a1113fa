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

variable "memory_size_gb" {
  description = "Memorystore size. Redis holds only status snapshots and progress events."
  type        = number
  default     = 1
}

variable "tier" {
  description = "BASIC (one node) or STANDARD_HA (replica with failover). The service degrades gracefully without Redis, so BASIC is fine."
  type        = string
  default     = "BASIC"
}

variable "auth_enabled" {
  description = "Require the AUTH string Memorystore generates (it goes into redis_url)."
  type        = bool
  default     = true
}
